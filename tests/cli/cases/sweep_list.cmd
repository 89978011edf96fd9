cohsim sweep tests/fixtures/sweep/small.ini && cohsim sweep tests/fixtures/sweep/reordered.ini && cohsim sweep tests/fixtures/sweep/constrained.ini
