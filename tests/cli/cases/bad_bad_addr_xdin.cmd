cohsim run --compat dinero --format xdin tests/fixtures/bad/bad_addr.xdin --json $TMP/out.json; s=$?; ls $TMP; exit $s
