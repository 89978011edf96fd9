cohsim run -q --preset x86-4 --explain traces/examples/ke_invalidate_all_caches.trace
