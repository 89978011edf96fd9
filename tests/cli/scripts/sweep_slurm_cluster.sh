# The Slurm job array of a sweep submitted for real: a one-node cluster (slurmctld and slurmd from
# Debian's slurm-wlm, no munge: auth/none) in $TMP on ports of its own, `sbatch --wait`, then the
# results collected. Skipped when slurm-wlm is missing, when not root (slurmd runs jobs as their
# user), or when the cluster does not come up within 30 seconds.
set -eu
for tool in slurmctld slurmd sbatch sinfo; do
    command -v $tool >/dev/null || { echo "SKIP Slurm ($tool, Debian: slurm-wlm) is not installed"; exit 77; }
done
[ "$(id -u)" -eq 0 ] || { echo "SKIP a Slurm node needs root to run its slurmd"; exit 77; }
cd "$TMP"
node=$(hostname -s)
port=$((20000 + ($$ % 10000) * 2))
mkdir state spool
cat > slurm.conf <<CONF
ClusterName=cohsimtest
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/none
CredType=cred/none
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$TMP/state
SlurmdSpoolDir=$TMP/spool
SlurmctldPidFile=$TMP/slurmctld.pid
SlurmdPidFile=$TMP/slurmd.pid
SlurmctldLogFile=$TMP/slurmctld.log
SlurmdLogFile=$TMP/slurmd.log
ProctrackType=proctrack/pgid
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
NodeName=$node NodeAddr=127.0.0.1 CPUs=1 State=UNKNOWN
PartitionName=sweep Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$TMP/slurm.conf
slurmctld -D -i >ctld.out 2>&1 &
ctld=$!
slurmd -D >slurmd.out 2>&1 &
slurmd=$!
trap 'kill $slurmd $ctld 2>/dev/null; wait $slurmd $ctld 2>/dev/null || true' EXIT
tries=0
until sinfo -h -o %t 2>/dev/null | grep -qx idle; do
    sleep 0.5
    tries=$((tries + 1))
    [ $tries -lt 60 ] || { tail -3 slurmctld.log slurmd.log 2>/dev/null; echo "SKIP the one-node Slurm cluster did not come up in 30 s"; exit 77; }
done

spec=$ROOT/tests/fixtures/sweep/small.ini
"$COHSIM" sweep "$spec" --out out --slurm s --per-task 4 >/dev/null
timeout 120 sbatch --wait --quiet s/sweep.sbatch
[ "$(ls out/*.json | wc -l)" -eq 12 ]
[ "$(ls s/task-*_0.out s/task-*_1.out | wc -l)" -eq 2 ]
"$COHSIM" sweep "$spec" --out out --collect --csv out.csv >/dev/null
# The same numbers as the jobs run one after the other by sh.
"$COHSIM" sweep "$spec" --out ref --jobs jobs.txt
sh jobs.txt
"$COHSIM" sweep "$spec" --out ref --collect --csv ref.csv >/dev/null
[ "$(wc -l < out.csv)" -eq 13 ]
cmp out.csv ref.csv
