cohsim run -q --check --preset x86-2 traces/examples/message_passing.trace && echo "message passing: every stated value read"
cohsim run -q --check --preset arm-like-4 traces/examples/message_passing.trace && echo "the same on arm-like-4"
