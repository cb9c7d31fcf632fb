"""Layer 5, judgements: review, evaluate and monitor, pure functions of model, rulebook, facts and an explicit as_of."""
