"""Models of interimuse."""
