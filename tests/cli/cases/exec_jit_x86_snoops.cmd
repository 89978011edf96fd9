cohsim exec --preset x86-4 isa/examples/jit_noflush.s
