cohsim exec --preset arm-like-4 tests/fixtures/bad/ke_invalidate_on_arm.s --json $TMP/out.json >/dev/null; s=$?; ls $TMP; exit $s
