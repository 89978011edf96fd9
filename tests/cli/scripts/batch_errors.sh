# Traces are read ahead in batches, yet every failure is reported where it happens, in the order
# records execute: a bad binary record deep inside a batch names its byte offset; records before
# it run first (a failed load check before it wins, exit 1); a missing CPU and a failed check
# name their record; a bad din line, or one longer than the read buffer, names its line, through
# the machine and through --compat.
set -eu
cd "$TMP"
python3 - <<'EOF'
import struct
def rec(op, flags, cpu, size, addr, value):
    return struct.pack('<BBHIQQ', op, flags, cpu, size, addr, value)
hdr = b'COHSIMTR' + struct.pack('<HHI', 1, 24, 0)
loads = [rec(0, 0, 0, 8, 64 * i, 0) for i in range(200)]
badop = rec(99, 0, 0, 8, 0, 0)
store5 = rec(1, 1, 0, 8, 0x1000, 5)
load6 = rec(0, 1, 0, 8, 0x1000, 6)  # must read 6, reads 5
open('loads.bin', 'wb').write(hdr + b''.join(loads))
open('badop.bin', 'wb').write(hdr + b''.join(loads[:100]) + badop + b''.join(loads[100:]))
open('check_then_badop.bin', 'wb').write(
    hdr + b''.join(loads[:70]) + store5 + load6 + b''.join(loads[72:100]) + badop)
# A fence (size 0: free for an operation without an access) before a load of a size out of
# range and a load that wraps past 2^64, in the same batch: each error names its record.
fence = rec(5, 0, 0, 0, 0, 0)
open('fence_badsize.bin', 'wb').write(
    hdr + b''.join(loads[:60]) + fence + b''.join(loads[60:120]) + rec(0, 0, 0, 5000, 0, 0))
open('fence_wrap.bin', 'wb').write(
    hdr + fence + b''.join(loads[:30]) + rec(0, 0, 0, 8, 2**64 - 4, 0) + b''.join(loads[30:]))
open('badcpu.bin', 'wb').write(hdr + b''.join(loads[:50]) + rec(0, 0, 7, 8, 0, 0) + b''.join(loads[50:]))
with open('bad.din', 'w') as f:
    for i in range(300):
        f.write('0 %x\n' % (64 * i))
    f.write('9 1000\n')
    f.write('0 2000\n')
EOF

expect() { # STATUS PATTERN COMMAND...: the command exits STATUS and its message has PATTERN
    want=$1 pattern=$2
    shift 2
    status=0
    "$@" >/dev/null 2>err.txt || status=$?
    [ "$status" -eq "$want" ] || { echo "$*: exit $status, expected $want"; cat err.txt; exit 1; }
    grep -q -- "$pattern" err.txt || { echo "$*: expected '$pattern' in:"; cat err.txt; exit 1; }
    cat err.txt
}

# Record 101 starts at byte 16 + 100 * 24 = 2416.
expect 2 'badop.bin: record 101, byte 2416: unknown operation 99' "$COHSIM" run -q --preset dinero badop.bin
expect 2 'badop.bin: record 101, byte 2416: unknown operation 99' "$COHSIM" run -q --preset x86-4 loads.bin badop.bin
expect 1 'check_then_badop.bin: record 72, byte 1720: CPU 0 load 0x1000 read 5 (0x5), expected 6' \
    "$COHSIM" run -q --preset dinero check_then_badop.bin
expect 1 'check_then_badop.bin: record 72, byte 1720: CPU 1 load 0x1000 read 5' \
    "$COHSIM" run -q --preset x86-2 loads.bin check_then_badop.bin
expect 2 'fence_badsize.bin: record 122, byte 2924: size 5000: expected 1 to 4096' \
    "$COHSIM" run -q --preset dinero fence_badsize.bin
expect 2 'fence_wrap.bin: record 32, byte 768: access of 8 bytes at 0xfffffffffffffffc wraps' \
    "$COHSIM" run -q --preset dinero fence_wrap.bin
expect 2 'badcpu.bin: record 51, byte 1216: CPU 7 does not exist' "$COHSIM" run -q --preset dinero badcpu.bin
expect 2 'bad.din:301: bad label' "$COHSIM" run -q --preset dinero bad.din
expect 2 'bad.din:301: bad label' "$COHSIM" run -q --compat dinero bad.din
# A line longer than the reader's 1 MiB buffer is an error naming it, not a split record.
python3 -c "open('long.din', 'w').write('0 1000\n0 ' + 'f' * (1 << 21) + '\n0 2000\n')"
expect 2 'long.din:2: line 2 is longer than 1048576 bytes' "$COHSIM" run -q --compat dinero long.din
expect 2 'long.din:2: line 2 is longer than 1048576 bytes' "$COHSIM" run -q --preset dinero long.din
