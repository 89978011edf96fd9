cohsim compare --config tests/fixtures/host/calibrated.ini --host-results tests/fixtures/host/results.json --tolerance 20% --strict
