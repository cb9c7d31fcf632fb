"""Layer 3, the codec: perftarget's own file format.

The one cattrs converter and its msgspec fast path. The model never imports it; the rulebook reads its presets with it.
"""
