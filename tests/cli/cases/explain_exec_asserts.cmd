cohsim exec --explain --cycles 2500:2700 isa/examples/barrier_nofpwb.s
cohsim exec --explain-to "$TMP/jit.log" isa/examples/jit.s >/dev/null; grep -n "assert" "$TMP/jit.log"
