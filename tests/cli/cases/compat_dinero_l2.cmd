cohsim run --compat dinero -c l1.size=0 -c l1d.size=32K -c l2.size=1M -c l2.assoc=16 tests/fixtures/reference/sort.din.data.xz
