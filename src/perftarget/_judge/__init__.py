"""Layer 5, judgements: review, evaluate and monitor.

Pure functions of model, rulebook, facts and an explicit ``as_of``.
"""
