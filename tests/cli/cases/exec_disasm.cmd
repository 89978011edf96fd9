cohsim exec --disasm isa/examples/jit.s
