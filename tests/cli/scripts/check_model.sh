# The invariant checker (--check) over randomised multicore traces on several machines, with tiny
# caches so that evictions, back-invalidations and write-backs happen all the time.
set -eu
gen() { # seed cores records
    awk -v seed="$1" -v cores="$2" -v n="$3" 'BEGIN {
        srand(seed); split("1 2 4 8 16 64", sz, " ")
        for (i = 0; i < n; i++) {
            c = int(rand() * cores); k = rand(); a = int(rand() * 64) * 24 + 4096
            s = sz[int(rand() * 6) + 1]
            if (k < 0.4) printf "%d load %#x %d\n", c, a, s
            else if (k < 0.75) printf "%d store %#x %d =%d\n", c, a, s, int(rand() * 1000)
            else if (k < 0.85) printf "%d ifetch %#x 4\n", c, a
            else if (k < 0.93) printf "%d rmw %#x 8\n", c, a - a % 8
            else printf "%d fence\n", c
        }
    }'
}
tiny="-c l1i.size=256 -c l1i.assoc=2 -c l1d.size=256 -c l1d.assoc=2 -c l2.size=512 -c l2.assoc=2 -c llc.size=2K -c llc.assoc=4"
for seed in 1 2 3 4 5 6; do
    gen $seed 4 4000 > "$TMP/t$seed"
    "$COHSIM" run -q --check --preset x86-4 $tiny -c sim.jitter=$((seed * 5)) --seed $seed "$TMP/t$seed"
    "$COHSIM" run -q --check --preset arm-like-4 $tiny -c llc.inclusive=yes --seed $seed "$TMP/t$seed"
    "$COHSIM" run -q --check --preset x86-4 $tiny -c l2.size=0 -c storebuf.entries=1 --seed $seed "$TMP/t$seed"
    "$COHSIM" run -q --check --preset x86-4 $tiny -c l1d.write=through -c l1d.alloc=no --seed $seed "$TMP/t$seed"
    "$COHSIM" run -q --check --preset x86-4 $tiny -c machine.protocol=msi -c sim.jitter=$seed --seed $seed "$TMP/t$seed"
    "$COHSIM" run -q --check --preset arm-like-4 $tiny -c machine.protocol=msi -c l2.size=0 -c l1d.write=through --seed $seed "$TMP/t$seed"
done
