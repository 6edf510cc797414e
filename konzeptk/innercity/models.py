"""Models of innercity."""
