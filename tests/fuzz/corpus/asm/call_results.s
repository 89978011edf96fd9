# call_results.s: a program reads what its primitive calls returned (lastcall) and calls as
# either process of a core it shares (thread). Every assert holds (tests/cli/cases/
# exec_call_results):
.equ VIEW, 0x40000
.equ LASTCALL_STATUS, 0
.equ LASTCALL_ERROR, 1
.equ LASTCALL_BASE, 2
.equ LASTCALL_SIZE, 3

        li r1, 1                # process 1 on cores 0-1, process 2 on cores 0, 2 and 3: core 0
        li r2, 3                # runs threads of both (process 1's by default, the lower id)
        process r9, r1, r2, r0
        li r1, 2
        li r2, 13
        process r9, r1, r2, r0
        li r1, fname
        li r2, 8192
        file r9, r1, r2, r0
        li r2, VIEW
        map r9, r1, r2, r0, 1   # the view belongs to process 1
        li r3, 42
        st8 [VIEW+0x1010], r3
        fence
        li r4, -1               # NtCurrentProcess()
        li r5, VIEW+0x1010      # rounded down to the page
        li r6, 8                # ... and up to the page's end
        ZwFlushVirtualMemory r9, r4, r5, r6
        assert r9, 1
        lastcall r7, LASTCALL_STATUS
        assert r7, 0            # STATUS_SUCCESS
        lastcall r7, LASTCALL_BASE
        li r8, VIEW+0x1000
        sub r7, r7, r8
        assert r7, 0
        lastcall r7, LASTCALL_SIZE
        assert r7, 4096
        li r5, 0x90000          # no view there
        ZwFlushVirtualMemory r9, r4, r5, r0
        assert r9, 0
        lastcall r7, LASTCALL_STATUS
        assert r7, -1073741799  # STATUS_NOT_MAPPED_VIEW (0xC0000019): an NTSTATUS is negative
        li r4, 77               # a handle that names no process
        FlushInstructionCache r9, r4, r5, r6
        assert r9, 0
        lastcall r7, LASTCALL_STATUS
        assert r7, 0            # it returned zero
        lastcall r7, LASTCALL_ERROR
        assert r7, 6            # ERROR_INVALID_HANDLE
        li r1, 2                # from now on this core runs a thread of process 2...
        thread r1
        li r4, -1
        li r5, VIEW
        ZwFlushVirtualMemory r9, r4, r5, r0
        lastcall r7, LASTCALL_STATUS
        assert r7, -1073741799  # ...which has no view at VIEW: STATUS_NOT_MAPPED_VIEW
        halt
fname:  .byte 'd', 'a', 't', 'a', 0
