"""Layer 6, formats: the JSON Schema and the Arrow columns.

The Excel package ``perftarget.excel`` belongs to this layer too.
"""
