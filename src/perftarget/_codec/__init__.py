"""Layer 3, the codec: perftarget's own file format.

The one cattrs converter and its msgspec fast path; the model never imports it.
"""
