cohsim run --compat dinero --format xdin tests/fixtures/bad/short.xdin --json $TMP/out.json; s=$?; ls $TMP; exit $s
