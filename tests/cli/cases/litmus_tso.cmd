cohsim litmus tests/fixtures/litmus/SB.litmus tests/fixtures/litmus/MP.litmus tests/fixtures/litmus/SDM-8-4.litmus tests/fixtures/litmus/RMW-lockinc.litmus
