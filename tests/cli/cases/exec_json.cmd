cohsim exec --json $TMP/o.json isa/examples/producer_consumer.s >/dev/null
grep -E "\"(core|asserts|asserts_failed|faulted|instructions)\"" $TMP/o.json
