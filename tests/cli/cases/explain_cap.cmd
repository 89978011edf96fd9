cohsim run -q --explain --max-events 8 traces/examples/demo.trace; echo "[exit $?]"
cohsim run -q --vcd "$TMP/w.vcd" --cycles 400: --max-events 30 traces/examples/demo.trace; echo "[exit $?]"
tail -3 "$TMP/w.vcd"
