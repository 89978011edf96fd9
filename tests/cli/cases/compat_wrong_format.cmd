cohsim run --compat dinero tests/fixtures/reference/sort.lackey.xz
