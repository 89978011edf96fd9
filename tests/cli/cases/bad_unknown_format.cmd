cohsim trace stats tests/fixtures/bad/junk.bin
