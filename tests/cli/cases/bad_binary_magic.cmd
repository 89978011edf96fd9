cohsim trace stats --format binary tests/fixtures/bad/junk.bin
