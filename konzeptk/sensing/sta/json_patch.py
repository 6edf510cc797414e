"""JSON Patch (RFC 6902) on PATCH with ``Content-Type: application/json-patch+json`` (18-088 §10.3.2,
requirement ``create-update-delete/update-entity-jsonpatch``), applied with the ``jsonpatch`` library.

The operations (add, remove, replace, move, copy, test) work on the entity's JSON as a GET shows it, without
the control information (``@iot.id``, links). What they change is then written like an ordinary PATCH of the
changed properties; a property a ``remove`` takes away is set to null (a mandatory one is refused).
"""

from __future__ import annotations

from typing import Any

import jsonpatch
import jsonpointer

from konzeptk.sensing.errors import StaError
from konzeptk.sensing.odata.errors import ParseError


def changes(current: dict[str, Any], operations: Any) -> dict[str, Any]:
    """The properties that the patch changes, as a PATCH body."""
    if not isinstance(operations, list) or not all(isinstance(op, dict) for op in operations):
        raise ParseError("JSON Patch muss eine Liste von Operationen (JSON-Objekten) sein.")
    document = {k: v for k, v in current.items() if "@" not in k}
    try:
        patch = jsonpatch.JsonPatch(operations)
        patched = patch.apply(document)
    except jsonpatch.JsonPatchTestFailed as exc:
        raise StaError(409, f"Die test-Operation des JSON Patch trifft nicht zu: {exc}"[:300]) from None
    except (jsonpatch.JsonPatchException, jsonpointer.JsonPointerException, TypeError, KeyError) as exc:
        raise ParseError(f"JSON Patch lässt sich nicht anwenden: {exc}"[:300]) from None
    if not isinstance(patched, dict):
        raise ParseError("JSON Patch muss wieder ein JSON-Objekt ergeben.")
    body = {key: value for key, value in patched.items() if document.get(key, object()) != value}
    body.update({key: None for key in document if key not in patched})
    return body
