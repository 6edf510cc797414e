"""The local economy: the directory of local businesses with opening hours, business offers and passer-by figures."""
