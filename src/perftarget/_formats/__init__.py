"""Layer 6, formats: the JSON Schema and the Arrow columns (the Excel package perftarget.excel is in this layer too)."""
