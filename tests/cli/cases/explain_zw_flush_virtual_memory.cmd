cohsim run -q --preset x86-4 --explain traces/examples/zw_flush_virtual_memory.trace
