cohsim run -q --explain --watch 0x3000,0x9999 --cycles 1000:1050 traces/examples/demo.trace
