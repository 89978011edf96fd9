cohsim run -q --explain --watch 0x3000 --cycles 900:1200 traces/examples/demo.trace
