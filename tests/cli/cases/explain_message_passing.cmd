cohsim run -q --preset x86-2 --explain traces/examples/message_passing.trace
