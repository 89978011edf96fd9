cohsim exec isa/examples/producer_consumer.s
