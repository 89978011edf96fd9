# A sweep stopped halfway (SIGTERM to GNU Parallel) and resumed: no finished result is computed
# again (their inodes and times stay, and the log of every cohsim started names none of them), an
# incomplete result is computed again, and the CSV equals that of an uninterrupted sweep.
set -eu
command -v parallel >/dev/null || { echo "SKIP GNU Parallel (Debian: parallel) is not installed"; exit 77; }
spec=$ROOT/tests/fixtures/sweep/small.ini
cd "$TMP"
# The jobs run this cohsim: it logs each start and takes its time, so that the sweep can be
# stopped in the middle. Each records its process id (exec keeps it), so that the test can wait
# for every job to end: GNU Parallel signals a job's process group, and a job it has just forked
# may not have made that group yet, so it can outlive the stopped sweep and finish its result.
cat > slow <<SLOW
#!/bin/sh
echo \$\$ >> "$TMP/pids"
echo "\$*" >> "$TMP/calls"
sleep 0.3
exec "$COHSIM" "\$@"
SLOW
chmod +x slow
"$COHSIM" sweep "$spec" --out r --run -j 1 --cohsim "$TMP/slow" > first.log 2>&1 &
sweep=$!
tries=0
until [ "$(ls r/*.json 2>/dev/null | wc -l)" -ge 4 ]; do
    sleep 0.1
    tries=$((tries + 1))
    [ $tries -lt 600 ] || { echo "no 4 results in 60 s"; kill $sweep; exit 1; }
done
parallel_pid=$(ps -o pid= --ppid $sweep)
kill -TERM $parallel_pid
status=0
wait $sweep || status=$?
[ $status -eq 1 ] || { echo "stopped sweep exited $status"; cat first.log; exit 1; }
grep -q 'results complete; the joblog is r/joblog; the same command again runs the rest' first.log
tries=0
# (a zombie has ended: an orphan's new parent may never reap it)
while [ -n "$(while read -r p; do ps -o stat= -p "$p" | grep -v '^ *Z'; done < pids)" ]; do
    sleep 0.1
    tries=$((tries + 1))
    [ $tries -lt 600 ] || { echo "a job of the stopped sweep still runs after 60 s"; exit 1; }
done
done=$(ls r/*.json | wc -l)
[ "$done" -ge 4 ] && [ "$done" -lt 12 ] || { echo "$done results after the stop"; exit 1; }
stat -c '%n %i %Y %s' r/*.json > finished
# An incomplete result (not one cohsim writes: it writes whole or not at all) is run again.
broken=$(sed -n 's/.* --json \([^ ]*\) .*/\1/p' r/jobs.txt | tail -1)
[ ! -e "$broken" ]
printf '{"cycles": 1' > "$broken"

: > calls
cp r/joblog joblog.first
"$COHSIM" sweep "$spec" --out r --run -j 2 --resume-failed --cohsim "$TMP/slow" > second.log
# --resume-failed reached GNU Parallel: it kept the first run's joblog lines (and did not start
# those jobs at all), where a fresh run rewrites the joblog.
head -n "$(wc -l < joblog.first)" r/joblog | cmp - joblog.first || { cat joblog.first r/joblog; exit 1; }
[ "$(awk 'NR > 1 && $7 == 0' r/joblog | wc -l)" -eq 12 ]
grep -q "^sweep: $broken is incomplete: removed, to be run again" second.log
grep -q "^sweep: 12 runs (6 points x 2 traces), $done done, $((12 - done)) to run" second.log
grep -q '^sweep: 12 of 12 results complete in r$' second.log
# Finished results untouched: same inode (a rerun renames a new file in), time and size.
stat -c '%n %i %Y %s' $(cut -d' ' -f1 finished) | cmp - finished
# Every cohsim started ran an unfinished result, each once.
[ "$(wc -l < calls)" -eq $((12 - done)) ] || { echo "$(wc -l < calls) runs for $((12 - done)) results"; exit 1; }
while read -r path rest; do
    ! grep -q -- "--json $path " calls || { echo "$path was computed again"; exit 1; }
done < finished
[ "$(sed 's/.* --json \([^ ]*\) .*/\1/' calls | sort -u | wc -l)" -eq $((12 - done)) ]

# The CSV is complete and equals an uninterrupted sweep's (its jobs run by sh), byte for byte.
"$COHSIM" sweep "$spec" --out r --collect --csv r.csv >/dev/null
"$COHSIM" sweep "$spec" --out whole --jobs whole.txt
sh whole.txt
"$COHSIM" sweep "$spec" --out whole --collect --csv whole.csv >/dev/null
[ "$(wc -l < r.csv)" -eq 13 ]
cmp r.csv whole.csv
