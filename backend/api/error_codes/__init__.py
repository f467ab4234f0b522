"""`GET /error-codes`: the catalogue of every error code."""
