"""Layer 1, values: exact numbers, units, indicator levels, target values (Threshold) and spending plans. Pure; imports nothing of perftarget but exceptions."""
