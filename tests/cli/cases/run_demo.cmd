cohsim run --preset x86-2 traces/examples/demo.trace --check
