cohsim run -q --preset x86-4 --explain traces/examples/flush_process_write_buffers.trace
