"""Public uploads under ``/media/``: served only while the app that owns them says they are public.

An app registers a path prefix inside the default storage and a predicate, best in its own
``konzeptk/<app>/media.py`` (found automatically)::

    from konzeptk.core.media_registry import register_public_media

    register_public_media("participation/ideas/", lambda name: Idea.objects.public().filter(image=name).exists())

``serve_media`` answers a file only when its name falls under a registered prefix and the
predicate says yes (one query per file); everything else, hidden or deleted content's images
included, answers 404. Files are read with ``default_storage.open()``, so the same view serves the
data directory and S3. The reverse proxy must pass /media/ to the application (docs/operations.md).
"""

from __future__ import annotations

import importlib
import importlib.util
import mimetypes
import posixpath
from collections.abc import Callable

from django.apps import apps
from django.core.files.storage import default_storage
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_safe

IsPublic = Callable[[str], bool]
MaySee = Callable[[HttpRequest, str], bool]

#: a hidden idea's image may stay in a browser or proxy cache at most this long
CACHE_SECONDS = 300

_predicates: dict[str, IsPublic] = {}
_staff_predicates: dict[str, MaySee] = {}
_discovered = False


def register_public_media(prefix: str, is_public: IsPublic, *, may_see: MaySee | None = None) -> IsPublic:
    """Files whose name starts with ``prefix`` (e.g. ``"participation/ideas/"``) are served while
    ``is_public(name)`` is true. ``may_see(request, name)`` lets the staff who look after a file that
    is not public (moderators of a hidden idea) still see it, never cached by anyone else."""
    if not prefix.endswith("/") or prefix.startswith("/"):
        raise ValueError("A media prefix is a relative folder ending in '/'.")
    _predicates[prefix] = is_public
    if may_see is not None:
        _staff_predicates[prefix] = may_see
    else:
        _staff_predicates.pop(prefix, None)
    return is_public


def _discover() -> None:
    global _discovered
    if _discovered:
        return
    for config in apps.get_app_configs():
        candidate = f"{config.name}.media"
        if config.name.startswith("konzeptk.") and importlib.util.find_spec(candidate) is not None:
            importlib.import_module(candidate)
    _discovered = True


def clean_name(path: str) -> str | None:
    """The storage name for a URL path, or None when it tries to leave the media folder."""
    if not path or "\\" in path or "\x00" in path or path.startswith("/"):
        return None
    name = posixpath.normpath(path)
    if name != path or name.startswith("..") or name == ".":
        return None
    return name


def _prefix_of(name: str) -> str | None:
    _discover()
    prefixes = [prefix for prefix in _predicates if name.startswith(prefix)]
    return max(prefixes, key=len) if prefixes else None


def is_public(name: str) -> bool:
    """Whether the upload ``name`` may be served to anyone now."""
    prefix = _prefix_of(name)
    return prefix is not None and bool(_predicates[prefix](name))


@require_safe
def serve_media(request: HttpRequest, path: str) -> FileResponse:
    name = clean_name(path)
    prefix = _prefix_of(name) if name is not None else None
    if name is None or prefix is None:
        raise Http404
    public = bool(_predicates[prefix](name))
    if not public:
        may_see = _staff_predicates.get(prefix)
        if may_see is None or not request.user.is_authenticated or not may_see(request, name):
            raise Http404
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, IsADirectoryError) as exc:
        raise Http404 from exc
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}" if public else "private, no-store"
    # uploads are data, never a page: no scripts, no sniffing into another type
    response["Content-Security-Policy"] = "default-src 'none'; media-src 'self'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _site_page_file(name: str) -> bool:
    from konzeptk.core.models import SitePage

    return SitePage.objects.filter(Q(video=name) | Q(video_captions=name)).exists()


register_public_media("pages/", _site_page_file)
