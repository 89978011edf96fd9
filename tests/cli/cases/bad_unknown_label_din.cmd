cohsim run --compat dinero --format din tests/fixtures/bad/unknown_label.din --json $TMP/out.json; s=$?; ls $TMP; exit $s
