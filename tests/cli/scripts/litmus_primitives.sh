#!/bin/sh
# FlushProcessWriteBuffers in litmus tests (a cohsim extension of herd's format): SB lets both
# loads read 0 under x86-TSO, and the same runs with FlushProcessWriteBuffers between one side's
# store and load never do (the primitive drains every core's store buffer by IPI), on x86 and on
# the arm-like preset, over several seeds.
set -u
fix=$ROOT/tests/fixtures
for seed in 1 2 3; do
    out=$("$COHSIM" litmus --seed $seed "$fix/litmus/SB.litmus") || { echo "SB seed $seed failed"; exit 1; }
    echo "$out" | grep -q '^Observation SB Sometimes' || { echo "SB never showed (0,0) with seed $seed"; echo "$out"; exit 1; }
    for p in x86-4 arm-like-4; do
        for t in SB+fpwb SB+fpwb+po; do
            out=$("$COHSIM" litmus --preset $p --seed $seed "$fix/litmus-cohsim/$t.litmus")
            st=$?
            echo "$out" | grep -q "^Observation $t Never 0 300" && [ $st -eq 0 ] ||
                { echo "$t on $p seed $seed (exit $st):"; echo "$out"; exit 1; }
        done
    done
done
