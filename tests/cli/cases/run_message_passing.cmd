cohsim run -q --check --preset x86-2 traces/examples/message_passing.trace && echo "message passing: every stated value read"
