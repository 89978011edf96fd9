cohsim run -q --check --inject no-invalidate --explain traces/examples/message_passing.trace
cohsim run -q --check --inject sb-reorder --explain --cycles 0:40 traces/examples/message_passing.trace
cohsim run --inject no-such-bug traces/examples/message_passing.trace
