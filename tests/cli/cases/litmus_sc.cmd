cohsim litmus --model sc tests/fixtures/litmus/SB.litmus tests/fixtures/litmus/RMW-add.litmus
