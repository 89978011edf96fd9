# The Slurm job array of a sweep: valid bash, an array of ceil(points / per-task) tasks, every
# point in exactly one task (with each of its traces once), in order; its tasks run by hand (as
# Slurm would, one SLURM_ARRAY_TASK_ID each) make every result, and the CSV collects them.
set -eu
spec=$ROOT/tests/fixtures/sweep/small.ini
cd "$TMP"
"$COHSIM" sweep "$spec" --out out --slurm s --per-task 4 > slurm.log
grep -q '^sweep: s/sweep.sbatch: 2 array tasks over 6 points$' slurm.log
bash -n s/sweep.sbatch
grep -qx '#SBATCH --array=0-1' s/sweep.sbatch
grep -qx "#SBATCH --chdir=$(pwd)" s/sweep.sbatch
# Every result is named by exactly one job, and they are exactly the sweep's results.
"$COHSIM" sweep "$spec" --out out --jobs jobs.txt
sed -n 's/.* --json \([^ ]*\) .*/\1/p' jobs.txt | sort > want
[ "$(wc -l < want)" -eq 12 ]
sed -n 's/.* --json \([^ ]*\) .*/\1/p' s/sweep.sbatch | sort > got
cmp want got
# Each point in one task: task 0 has the first four points' eight jobs, task 1 the last two's four.
awk '/^[0-9]+\)$/ {task = $1} / --json / {n[task]++} END {print n["0)"], n["1)"]}' s/sweep.sbatch > per_task
[ "$(cat per_task)" = "8 4" ] || { echo "jobs per task: $(cat per_task)"; exit 1; }
[ "$(sed -n 's/.* --json out\/\([0-9a-f]*\)\..*/\1/p' s/sweep.sbatch | uniq | wc -l)" -eq 6 ]
# The script outside Slurm, and a task the array does not have, are refused.
! bash s/sweep.sbatch 2>/dev/null
! SLURM_ARRAY_TASK_ID=2 bash s/sweep.sbatch 2>err
grep -q 'this array has no task 2' err
# Run as the array would, twice over (a requeued task finds its results and runs nothing).
for task in 0 1; do SLURM_ARRAY_TASK_ID=$task bash s/sweep.sbatch; done
stat -c '%n %i %Y' out/*.json > before
for task in 0 1; do SLURM_ARRAY_TASK_ID=$task bash s/sweep.sbatch; done
stat -c '%n %i %Y' out/*.json | cmp - before
"$COHSIM" sweep "$spec" --out out --collect --csv out.csv >/dev/null
[ "$(wc -l < out.csv)" -eq 13 ]
# One task per point by default.
"$COHSIM" sweep "$spec" --out out --slurm s1 | grep -q '6 array tasks over 6 points'
grep -qx '#SBATCH --array=0-5' s1/sweep.sbatch
