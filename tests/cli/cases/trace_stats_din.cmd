cohsim trace stats tests/fixtures/reference/sort.din.xz
