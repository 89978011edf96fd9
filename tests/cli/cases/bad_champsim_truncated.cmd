cohsim trace stats --format champsim tests/fixtures/bad/junk.bin
