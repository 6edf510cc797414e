"""The inner city's vacant units: the owners' offers, the coordination's register and the vacancy statistics."""
