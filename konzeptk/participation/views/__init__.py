"""Pages of the participation app. Thin: parse the request, call one service or selector, render."""

from __future__ import annotations

from konzeptk.participation.views.comments import (
    _comment as _comment,
)
from konzeptk.participation.views.comments import (
    comment_create as comment_create,
)
from konzeptk.participation.views.comments import (
    comment_delete as comment_delete,
)
from konzeptk.participation.views.comments import (
    comment_update as comment_update,
)
from konzeptk.participation.views.comments import (
    report as report,
)
from konzeptk.participation.views.common import (
    SEED_KEY as SEED_KEY,
)
from konzeptk.participation.views.common import (
    _apply_errors as _apply_errors,
)
from konzeptk.participation.views.common import (
    _back as _back,
)
from konzeptk.participation.views.common import (
    _process_or_404 as _process_or_404,
)
from konzeptk.participation.views.dumps import (
    dump_file as dump_file,
)
from konzeptk.participation.views.dumps import (
    dumps as dumps,
)
from konzeptk.participation.views.ideas import (
    _idea_form_values as _idea_form_values,
)
from konzeptk.participation.views.ideas import (
    _outline as _outline,
)
from konzeptk.participation.views.ideas import (
    _seed as _seed,
)
from konzeptk.participation.views.ideas import (
    idea_create as idea_create,
)
from konzeptk.participation.views.ideas import (
    idea_detail as idea_detail,
)
from konzeptk.participation.views.ideas import (
    idea_follow as idea_follow,
)
from konzeptk.participation.views.ideas import (
    idea_list as idea_list,
)
from konzeptk.participation.views.ideas import (
    idea_support as idea_support,
)
from konzeptk.participation.views.ideas import (
    idea_update as idea_update,
)
from konzeptk.participation.views.moderation import (
    idea_answer as idea_answer,
)
from konzeptk.participation.views.moderation import (
    moderation_act as moderation_act,
)
from konzeptk.participation.views.moderation import (
    moderation_queue as moderation_queue,
)
from konzeptk.participation.views.moderation import (
    offline_create as offline_create,
)
from konzeptk.participation.views.processes import (
    process_detail as process_detail,
)
from konzeptk.participation.views.processes import (
    process_follow as process_follow,
)
from konzeptk.participation.views.processes import (
    process_list as process_list,
)
from konzeptk.participation.views.results import (
    netiquette as netiquette,
)
from konzeptk.participation.views.results import (
    results as results,
)
from konzeptk.participation.views.staff_processes import (
    _editable_process as _editable_process,
)
from konzeptk.participation.views.staff_processes import (
    _process_form_values as _process_form_values,
)
from konzeptk.participation.views.staff_processes import (
    process_edit as process_edit,
)
from konzeptk.participation.views.staff_processes import (
    process_new as process_new,
)
from konzeptk.participation.views.staff_processes import (
    process_phases as process_phases,
)
from konzeptk.participation.views.staff_processes import (
    staff_processes as staff_processes,
)
