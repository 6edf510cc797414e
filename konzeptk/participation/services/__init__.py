"""Writes of the participation app: typed, keyword-only, each in one transaction.

Permission and phase checks come from rules.denial(); a refusal raises core's ``DomainError`` with a
message for the person. Invalid input raises Django's ``ValidationError`` keyed by field. Nothing is
half-saved: every function either writes everything or nothing.
"""

from __future__ import annotations

from konzeptk.participation.services.comments import (
    comment_create as comment_create,
)
from konzeptk.participation.services.comments import (
    comment_delete as comment_delete,
)
from konzeptk.participation.services.comments import (
    comment_update as comment_update,
)
from konzeptk.participation.services.common import (
    _autofollow as _autofollow,
)
from konzeptk.participation.services.common import (
    _clean_text as _clean_text,
)
from konzeptk.participation.services.common import (
    _clean_topic as _clean_topic,
)
from konzeptk.participation.services.common import (
    _denied as _denied,
)
from konzeptk.participation.services.common import (
    _require as _require,
)
from konzeptk.participation.services.common import (
    _resolve_location as _resolve_location,
)
from konzeptk.participation.services.ideas import (
    _idea_fields as _idea_fields,
)
from konzeptk.participation.services.ideas import (
    idea_answer as idea_answer,
)
from konzeptk.participation.services.ideas import (
    idea_create as idea_create,
)
from konzeptk.participation.services.ideas import (
    idea_update as idea_update,
)
from konzeptk.participation.services.ideas import (
    offline_contribution_create as offline_contribution_create,
)
from konzeptk.participation.services.moderation import (
    _log as _log,
)
from konzeptk.participation.services.moderation import (
    _require_moderator as _require_moderator,
)
from konzeptk.participation.services.moderation import (
    _target_process as _target_process,
)
from konzeptk.participation.services.moderation import (
    moderation_hide as moderation_hide,
)
from konzeptk.participation.services.moderation import (
    moderation_restore as moderation_restore,
)
from konzeptk.participation.services.moderation import (
    report_create as report_create,
)
from konzeptk.participation.services.moderation import (
    report_dismiss as report_dismiss,
)
from konzeptk.participation.services.moderation import (
    user_block as user_block,
)
from konzeptk.participation.services.moderation import (
    user_unblock as user_unblock,
)
from konzeptk.participation.services.processes import (
    RESERVED_SLUGS as RESERVED_SLUGS,
)
from konzeptk.participation.services.processes import (
    _check_phase as _check_phase,
)
from konzeptk.participation.services.processes import (
    _clean_levels as _clean_levels,
)
from konzeptk.participation.services.processes import (
    phase_add as phase_add,
)
from konzeptk.participation.services.processes import (
    phase_delete as phase_delete,
)
from konzeptk.participation.services.processes import (
    phase_save as phase_save,
)
from konzeptk.participation.services.processes import (
    phases_from_blueprint as phases_from_blueprint,
)
from konzeptk.participation.services.processes import (
    phases_mark_announced as phases_mark_announced,
)
from konzeptk.participation.services.processes import (
    process_create as process_create,
)
from konzeptk.participation.services.processes import (
    process_update as process_update,
)
from konzeptk.participation.services.supports import (
    follow_set as follow_set,
)
from konzeptk.participation.services.supports import (
    support_add as support_add,
)
from konzeptk.participation.services.supports import (
    support_remove as support_remove,
)
