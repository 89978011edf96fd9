cohsim protocol
