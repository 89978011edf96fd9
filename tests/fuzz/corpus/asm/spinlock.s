# spinlock.s: two cores each add 1 to a shared counter 50 times under a test-and-set spinlock.
# The lock is taken with a locked exchange (xchg4, a full fence) and released with a plain store,
# as on x86; the counter must end at exactly 100 (no lost update).
#   cohsim exec isa/examples/spinlock.s
.equ lock,  0x8000
.equ count, 0x8040          # its own cache line

.cpu 1
        jmp start
.cpu 0
start:  li r5, 50           # iterations
        li r2, 1
again:  xchg4 r1, [lock], r2    # try to take the lock
        bne r1, r0, again       # it was held: spin
        ld4 r3, [count]         # the critical section: count += 1
        addi r3, r3, 1
        st4 [count], r3
        st4 [lock], r0          # release (a store: TSO keeps it after the critical section's)
        addi r5, r5, -1
        bne r5, r0, again
        fence                   # our last release has left the store buffer
wait:   ld4 r3, [count]         # wait for the other core to finish too
        li r4, 100
        bne r3, r4, wait
        assert r3, 100
        halt
