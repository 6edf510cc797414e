"""Errors of the insights engine. Every message is German and meant for people."""

from __future__ import annotations


class EngineError(ValueError):
    """Input the engine cannot use; ``str(error)`` says what is wrong and what to do."""


class VotesError(EngineError):
    """A votes file or vote matrix that cannot be used."""


class RakingError(EngineError):
    """Population margins that cannot be met, or inconsistent raking input."""


class RepresentationError(EngineError):
    """Counts that cannot be compared with the population."""
