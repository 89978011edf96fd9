cohsim exec isa/examples/spinlock.s
