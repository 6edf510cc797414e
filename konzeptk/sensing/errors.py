from __future__ import annotations


class StaError(Exception):
    """An error answered with the SensorThings error JSON ``{"code", "type", "message"}``."""

    def __init__(self, code: int, message: str) -> None:
        self.code = code
        self.message = message
        super().__init__(message)
