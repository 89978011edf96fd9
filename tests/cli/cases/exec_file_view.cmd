cohsim exec isa/examples/file_view.s
