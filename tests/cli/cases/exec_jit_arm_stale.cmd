cohsim exec --preset arm-like-4 isa/examples/jit_noflush.s
