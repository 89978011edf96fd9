# barrier_nofpwb.s: barrier.s without FlushProcessWriteBuffers (see barrier.s): both sides can miss
# each other (x86-TSO store buffering), and the assert fails.
# x86-TSO a store waits in the store buffer, so with plain loads both sides can miss each other.
# The fast side (core 0) pays nothing: no fence. The slow side (core 1) calls
# FlushProcessWriteBuffers between its store and its load: that drains its own buffer and, by IPI,
# core 0's, so core 1 sees core 0's flag if core 0 stored it before the call, and otherwise core 0
# sees core 1's. Either way at least one side sees the other: r3 = seen0 | seen1 = 1.
# With USE_FPWB = 0 (barrier_nofpwb.s) both sides can read 0, and the assert fails.
#   cohsim exec isa/examples/barrier.s
.equ USE_FPWB, 0
.equ flag0, 0x8000
.equ flag1, 0x8040
.equ seen0, 0x8080          # what each side saw, for the check
.equ seen1, 0x80c0
.equ done0, 0x8100
.equ ready, 0x8140          # core 1 is about to raise its flag
.equ log0,  0x9000          # each side's earlier work: a store to a line no cache holds yet
.equ log1,  0xa000

.cpu 0                      # the fast side
        li r1, 1
        ld4 r6, [flag0]         # warm both flags into this core's cache, so that the loads
        ld4 r6, [flag1]         # below hit while the stores wait for their upgrades
go:     ld4 r7, [ready]         # start when the slow side does (makes the race reproducible)
        beq r7, r0, go
        st4 [log0], r1          # earlier work: its miss keeps the store buffer busy, so the
        st4 [flag0], r1         # flag store waits in the buffer behind it
        ld4 r2, [flag1]
        st4 [seen0], r2
        st4 [done0], r1
        halt

.cpu 1                      # the slow side
        li r1, 1
        li r3, USE_FPWB
        ld4 r6, [flag1]         # the other order: the two cores' misses overlap
        ld4 r6, [flag0]
        st4 [ready], r1
        st4 [log1], r1
        bne r3, r0, slow
        st4 [flag1], r1         # without the primitive: as plain as the fast side
        ld4 r2, [flag0]
        jmp check
slow:   st4 [flag1], r1
        FlushProcessWriteBuffers    # drain every buffer of the process (IPIs), then look
        ld4 r2, [flag0]
check:  st4 [seen1], r2
wait:   ld4 r4, [done0]         # wait for the fast side, then check the pair
        beq r4, r0, wait
        ld4 r5, [seen0]
        or r3, r2, r5
        assert r3, 1            # at least one side saw the other's flag
        halt
