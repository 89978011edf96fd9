# producer_consumer.s: core 0 writes four data words, then raises a flag; core 1 waits for the
# flag, then reads the data. x86-TSO keeps stores in order and loads in order, so the consumer
# that sees the flag sees all the data, with no fence on either side.
#   cohsim exec isa/examples/producer_consumer.s
.equ data, 0x8000
.equ flag, 0x8100           # its own cache line

.cpu 0                      # the producer
        li r1, 11
        st4 [data], r1
        li r1, 22
        st4 [data+4], r1
        li r1, 33
        st4 [data+8], r1
        li r1, 44
        st4 [data+12], r1
        li r1, 1
        st4 [flag], r1          # publish
        halt

.cpu 1                      # the consumer
wait:   ld4 r1, [flag]
        beq r1, r0, wait
        ld4 r2, [data]
        ld4 r3, [data+4]
        ld4 r4, [data+8]
        ld4 r5, [data+12]
        add r6, r2, r3
        add r6, r6, r4
        add r6, r6, r5
        assert r6, 110          # 11 + 22 + 33 + 44: every word arrived before the flag
        halt
