"""Layer 4, the rulebook: every domain decision written once, as data plus small functions.

The presets are data files beside it.
"""
