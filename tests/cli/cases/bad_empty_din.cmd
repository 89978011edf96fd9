cohsim run --compat dinero --format din tests/fixtures/bad/empty.din --json $TMP/out.json; s=$?; ls $TMP; exit $s
