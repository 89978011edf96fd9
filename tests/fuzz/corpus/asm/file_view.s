# file_view.s: a program sets up its own OS state (processes, a file, a mapped view) with the
# OS instructions, writes the file through the view, and flushes it to the disk with the two
# file primitives. Each OS instruction sets rd = 1 (an error stops the run); a primitive sets
# rd = 1 when it returned STATUS_SUCCESS. Every assert holds:
#   cohsim exec isa/examples/file_view.s
.equ VIEW, 0x40000
.equ PAGE1, 0x41000         # the view's second 4 KiB page

        li r1, 1                # process 1 on cores 0-1 (declaring processes replaces the
        li r2, 3                # implicit process 1 that holds every core)
        process r9, r1, r2, r0
        assert r9, 1
        li r1, 2                # process 2 on core 2
        li r2, 4
        process r9, r1, r2, r0
        assert r9, 1
        li r1, fname
        li r2, 8192
        file r9, r1, r2, r0     # the file: 8 KiB of zeros on the simulated disk
        assert r9, 1
        li r2, VIEW
        map r9, r1, r2, r0, 1   # into process 1 at VIEW, from offset 0 to the end
        assert r9, 1
        li r3, 42
        st8 [PAGE1+16], r3      # dirties the view's second page
        fence
        li r4, 1                # process handle 1
        li r5, 4096
        ZwFlushVirtualMemory r9, r4, r2, r5   # the first page only: clean, nothing written
        assert r9, 1
        acquire r9, r1, r0, r0  # Cc needs the file held exclusively
        assert r9, 1
        CcCoherencyFlushAndPurgeCache r9, r1, r0, r0, 0   # offset NULL: the whole file is
        assert r9, 1                                      # written back, then purged
        release r9, r1, r0, r0
        assert r9, 1
        ld8 r6, [PAGE1+16]      # pages back in from the disk: the store survived the purge
        assert r6, 42
        halt
fname:  .byte 'd', 'a', 't', 'a', 0
