cohsim presets --show nosuch
