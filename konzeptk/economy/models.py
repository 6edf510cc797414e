"""Models of economy."""
