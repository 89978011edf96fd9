cohsim calibrate --host-results tests/fixtures/host/missing.json -c l1d.size=32K -c l1d.assoc=8 -o $TMP/cal.ini; s=$?; ls $TMP; exit $s
