cohsim litmus --show-asm tests/fixtures/litmus/RMW-add.litmus
