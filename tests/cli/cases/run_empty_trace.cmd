: > $TMP/t
cohsim run $TMP/t
