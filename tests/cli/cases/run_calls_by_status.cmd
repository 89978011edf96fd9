cohsim run --preset x86-4 tests/fixtures/os/calls_by_status.trace
