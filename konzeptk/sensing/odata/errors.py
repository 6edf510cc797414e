from __future__ import annotations


class ParseError(ValueError):
    """The query text is not valid; ``position`` is the character offset where it went wrong."""

    def __init__(self, message: str, position: int | None = None) -> None:
        self.message = message
        self.position = position
        super().__init__(message if position is None else f"{message} (Zeichen {position})")


class UnsupportedError(ParseError):
    """Valid syntax the server does not implement (answered with 501)."""
