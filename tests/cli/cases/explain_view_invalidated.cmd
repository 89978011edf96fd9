cohsim run -q --preset x86-4 --explain --cycles 46992:46992 traces/examples/cc_flush_and_purge.trace
cohsim run -q --preset x86-4 --vcd "$TMP/cc.vcd" traces/examples/cc_flush_and_purge.trace
grep -A2 "scope module os" "$TMP/cc.vcd"
id=$(awk '/view_invalidated/ {print $4}' "$TMP/cc.vcd"); grep -B1 -A2 "^sp1_0x40000000 $id\$" "$TMP/cc.vcd"
