cohsim run --preset arm-like-4 tests/fixtures/bad/ke_invalidate_on_arm.trace --json $TMP/out.json; s=$?; ls $TMP; exit $s
