cohsim run --frobnicate traces/examples/demo.trace
