cohsim run -c l1d.assoc=three traces/examples/demo.trace
cohsim run -c l9.size=1K traces/examples/demo.trace
cohsim run -c l1d.colour=red traces/examples/demo.trace
cohsim run -c l1d.size=33K traces/examples/demo.trace
cohsim run -c machine.protocol=mosi traces/examples/demo.trace
cohsim run -c nodot traces/examples/demo.trace
printf '[machine]\ncores = 2\nthis is not ini\n' > $TMP/c.ini
cohsim run --config $TMP/c.ini traces/examples/demo.trace
printf '[machine]\ncores = 0\n' > $TMP/c.ini
cohsim run --config $TMP/c.ini traces/examples/demo.trace
cohsim run --preset x86-9 traces/examples/demo.trace
printf '[machine]\ncores = 2\n[l1d]\nsize = 32K\n[l1i]\nsize = 32K\n[machine]\ncores = 4\n' > $TMP/c.ini
cohsim run --preset x86-2 --config $TMP/c.ini traces/examples/demo.trace
