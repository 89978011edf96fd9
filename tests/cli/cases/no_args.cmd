cohsim
