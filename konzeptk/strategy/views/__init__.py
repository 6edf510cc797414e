"""Pages of the strategy: the public reading pages (:mod:`.public`) and the staff workspace (:mod:`.staff`).
``strategy/urls.py`` refers to ``views.<name>``: the names are re-exported here."""

from __future__ import annotations

from konzeptk.strategy.views.public import (
    document,
    document_pdf,
    field_detail,
    goal_detail,
    indicator_detail,
    indicator_list,
    indicator_values_csv,
    overview,
    project_csv,
    project_detail,
    project_list,
    project_map,
    revision_diff,
    revision_list,
)
from konzeptk.strategy.views.staff import (
    draft_adopt,
    draft_edit,
    draft_meta,
    element_add,
    element_delete,
    element_update,
    indicator_edit,
    project_edit,
    project_stage,
    revision_clone,
    workspace,
)

__all__ = [
    "document",
    "document_pdf",
    "draft_adopt",
    "draft_edit",
    "draft_meta",
    "element_add",
    "element_delete",
    "element_update",
    "field_detail",
    "goal_detail",
    "indicator_detail",
    "indicator_edit",
    "indicator_list",
    "indicator_values_csv",
    "overview",
    "project_csv",
    "project_detail",
    "project_edit",
    "project_list",
    "project_map",
    "project_stage",
    "revision_clone",
    "revision_diff",
    "revision_list",
    "workspace",
]
