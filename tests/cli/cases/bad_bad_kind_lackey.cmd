cohsim run --compat cachegrind --format lackey tests/fixtures/bad/bad_kind.lackey --json $TMP/out.json; s=$?; ls $TMP; exit $s
