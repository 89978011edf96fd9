cohsim exec tests/fixtures/os/call_results.s
