cohsim presets
