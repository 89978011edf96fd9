cohsim exec isa/examples/barrier_nofpwb.s
