from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse


class StaError(Exception):
    """An error answered with the SensorThings error JSON ``{"code", "type", "message"}``."""

    def __init__(self, code: int, message: str) -> None:
        self.code = code
        self.message = message
        super().__init__(message)


def sta_error(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    """Every error under /sta/ (registered with core.errors): ``{"code": status, "type": "error", "message"}``."""
    body = json.dumps({"code": status, "type": "error", "message": message}, ensure_ascii=False)
    return HttpResponse(body, status=status, content_type="application/json")
