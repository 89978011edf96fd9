#asm
# jit.s: a JIT on one core writes an instruction over code it has already executed, then runs it.
# The first pass executes the `nop` at `patch` (its line is now in the I-cache); the core then
# stores the encoding of `li r7, 42` there and jumps back. With FLUSH = 1 it first calls
# FlushInstructionCache on the patched range; with FLUSH = 0 it does not.
# On x86 presets the I-cache snoops stores, so the new instruction runs either way (r7 = 42).
# On arm-like-4 the I-cache is not coherent with stores: without the flush the core executes the
# stale nop again (r7 stays 0); with it, the new code (r7 = 42).
#   cohsim exec --preset arm-like-4 isa/examples/jit.s          (with the flush: r7 = 42)
#   cohsim exec --preset arm-like-4 isa/examples/jit_noflush.s  (stale: r7 = 0)
.equ FLUSH, 1

        li r9, 0                # pass counter
patch:  nop                     # the JIT's target: nop now, `li r7, 42` after the patch
        bne r9, r0, done        # second pass: stop
        li r9, 1
        li r1, 0x702            # build the 8-byte encoding from its two halves
        li r2, 42
        shli r2, r2, 32
        or r1, r1, r2
        st8 [patch], r1         # write the instruction as data
        fence                   # the store has left the store buffer: memory holds the new code
        li r3, FLUSH
        beq r3, r0, again
        li r4, -1               # the current process (NtCurrentProcess)
        li r5, patch
        li r6, 8
        FlushInstructionCache r8, r4, r5, r6
        assert r8, 1            # it returned nonzero
again:  jmp patch
done:   halt
