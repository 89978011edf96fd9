cohsim frobnicate
