cohsim run $TMP/nosuch.trace
