"""Konzept K – the open Smart City platform of Krefeld."""

__version__ = "0.1.0"
