cohsim litmus --explain tests/fixtures/litmus/SB.litmus
