printf '.cpu 5\n        halt\n' > $TMP/c5.s
cohsim exec $TMP/c5.s
printf '.cpu 1\n        halt\n' > $TMP/one.s
cp $TMP/one.s $TMP/other.s
cohsim exec $TMP/one.s $TMP/other.s
printf '# nothing\n.equ x, 1\n' > $TMP/none.s
cohsim exec $TMP/none.s
echo "exit $?"
printf '.cpu 2\n        li r3, 7\n        halt\n' > $TMP/c2.s
cohsim exec --json $TMP/c2.json $TMP/c2.s > /dev/null
grep -E '"(core|faulted|instructions)"' $TMP/c2.json
