cohsim exec isa/examples/barrier.s
