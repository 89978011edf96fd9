cohsim run -q --preset x86-4 --explain traces/examples/cc_flush_and_purge.trace
