cohsim run -q --compat cachegrind -c machine.cores=2 tests/fixtures/reference/sort.lackey.xz
cohsim run -q --compat cachegrind -c l2.size=1M tests/fixtures/reference/sort.lackey.xz
cohsim run -q --compat cachegrind -c llc.size=0 tests/fixtures/reference/sort.lackey.xz
cohsim run -q --compat cachegrind -c l1d.repl=fifo tests/fixtures/reference/sort.lackey.xz
cohsim run -q --compat dinero -c machine.cores=2 tests/fixtures/reference/sort.din.data.xz
