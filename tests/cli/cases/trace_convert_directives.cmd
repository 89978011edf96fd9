# The OS set-up and checks are written back as text from their rows in model/ops.def (optional
# arguments at their default left out), and the converted trace runs to the same end.
cohsim trace convert traces/examples/cc_flush_and_purge.trace "$TMP/cc.txt" --to text && cat "$TMP/cc.txt" && cohsim run -q "$TMP/cc.txt"
