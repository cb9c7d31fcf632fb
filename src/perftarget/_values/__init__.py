"""Layer 1, values: numbers, units, levels, target values and spending plans.

Pure; imports nothing of perftarget but the base modules (exceptions).
"""
