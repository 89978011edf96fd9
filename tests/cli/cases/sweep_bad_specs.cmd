for f in tests/fixtures/sweep/bad/*.ini; do cohsim sweep "$f" --out $TMP/out --run; echo "[$?]"; done; ls $TMP
