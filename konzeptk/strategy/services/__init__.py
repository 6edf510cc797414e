"""Writes of the strategy, one module per subject: revisions, their elements and differences, projects,
indicators and the indicators fed by the urban data platform.

Every function is keyword-only, runs in one transaction and records who did it and when. Refusals raise
:class:`~konzeptk.core.errors.DomainError` with a code and a German message the page or the API shows as it
is. ``from konzeptk.strategy.services import X`` keeps working: the names are re-exported here.
"""

from __future__ import annotations

from konzeptk.strategy.services.bindings import (
    AUTO_SOURCE_REF,
    REFRESH_DISPATCHED_KEY,
    binding_signature,
    indicator_bind,
    indicator_binding_is_stale,
    indicator_refresh_from_data,
    indicators_refresh,
    indicators_refresh_all,
)
from konzeptk.strategy.services.diff import Change, RevisionDiff, revision_diff
from konzeptk.strategy.services.elements import (
    ELEMENT_MODELS,
    PARENT_KIND,
    element_add,
    element_delete,
    element_update,
)
from konzeptk.strategy.services.indicators import (
    indicator_save,
    indicator_target_set,
    indicator_value_add,
    parse_number,
)
from konzeptk.strategy.services.projects import (
    milestone_add,
    project_change_stage,
    project_save,
    web_link_add,
)
from konzeptk.strategy.services.revisions import (
    require_draft,
    revision_adopt,
    revision_clone,
    revision_create,
    revision_delete_draft,
    revision_update,
    strategy_save,
)

__all__ = [
    "AUTO_SOURCE_REF",
    "ELEMENT_MODELS",
    "PARENT_KIND",
    "REFRESH_DISPATCHED_KEY",
    "Change",
    "RevisionDiff",
    "binding_signature",
    "element_add",
    "element_delete",
    "element_update",
    "indicator_bind",
    "indicator_binding_is_stale",
    "indicator_refresh_from_data",
    "indicator_save",
    "indicator_target_set",
    "indicator_value_add",
    "indicators_refresh",
    "indicators_refresh_all",
    "milestone_add",
    "parse_number",
    "project_change_stage",
    "project_save",
    "require_draft",
    "revision_adopt",
    "revision_clone",
    "revision_create",
    "revision_delete_draft",
    "revision_diff",
    "revision_update",
    "strategy_save",
    "web_link_add",
]
