cohsim protocol --protocol mosi; echo "[exit $?]"
cohsim protocol extra; echo "[exit $?]"
cohsim protocol --html /nonexistent-dir/p.html; echo "[exit $?]"; ls /nonexistent-dir 2>&1 | head -1
