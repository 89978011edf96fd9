cohsim exec tests/fixtures/os/lastcall_before_call.s; echo "[exit $?]"; cohsim exec tests/fixtures/os/lastcall_bad_field.s
