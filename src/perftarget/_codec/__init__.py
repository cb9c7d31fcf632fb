"""Layer 3, the codec: perftarget's own file format (the one cattrs converter and its msgspec fast path). The model never imports it."""
