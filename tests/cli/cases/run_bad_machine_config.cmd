cohsim run -c l1.size=32K traces/examples/demo.trace
cohsim run -c l1d.size=0 traces/examples/demo.trace
cohsim run -c l2.line=128 traces/examples/demo.trace
cohsim run -c os.page=1024 -c l1i.line=2048 -c l1d.line=2048 -c l2.line=2048 -c llc.line=2048 -c l1i.size=64K -c l1d.size=64K traces/examples/demo.trace
cohsim run -c os.disk_bandwidth=0 traces/examples/demo.trace
