cohsim compare --preset x86-2 --host-results tests/fixtures/host/results.json
