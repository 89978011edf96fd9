cohsim run -q --preset arm-like-4 --explain traces/examples/flush_instruction_cache.trace
