cohsim run -q --compat dinero -c llc.inclusive=yes -c storebuf.entries=4 -c l1.latency=3 -c sim.jitter=5 tests/fixtures/reference/sort.din.data.xz
cohsim run -q --compat dinero -c sim.seed=7 -c l2.assoc=4 -c bus.latency=1 -c memory.latency=9 -c ipi.handler=2 -c os.page=8K tests/fixtures/reference/sort.din.data.xz
cohsim run -q --compat dinero -c machine.protocol=moesi -c machine.arch=arm -c machine.icache_snoop=no -c machine.clock_mhz=100 tests/fixtures/reference/sort.din.data.xz
cohsim run -q --compat dinero --preset dinero-split -c l1i.write=through -c l1.assoc=2 tests/fixtures/reference/sort.din.data.xz
printf '[llc]\ninclusive = yes\n' >$TMP/c.ini; cohsim run -q --compat dinero --config $TMP/c.ini tests/fixtures/reference/sort.din.data.xz
cohsim run -q --compat dinero -c l1.repl=random -c sim.seed=7 -c l1.write=through -c l1.alloc=no tests/fixtures/reference/sort.din.data.xz && echo "dinero: seed with random replacement, write policies: accepted"
cohsim run -q --compat cachegrind -c llc.inclusive=yes -c l1d.write=through -c l1i.alloc=no -c sim.seed=3 -c llc.latency=3 -c storebuf.entries=3 tests/fixtures/reference/sort.lackey.xz
cohsim run -q --compat cachegrind -c l2.assoc=4 -c sim.jitter=1 -c os.disk_latency=1 tests/fixtures/reference/sort.lackey.xz
