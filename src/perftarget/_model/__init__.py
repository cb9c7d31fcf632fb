"""Layer 2, the model: the target document classes and the facts measured against them.

No files, formats or display.
"""
