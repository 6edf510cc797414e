"""The survey results in participation's daily open-data dumps (dataset ``survey_results``).

Survey counts are the published ones of the results page: every count of people passes the
platform's disclosure control (cell-key method, ``insights/engine/disclosure.py``: changed by at most
±2, the same answers always give the same number, 1–4 never shown as itself), so the dump of every
day shows the same numbers for the same answers and no small group can be singled out. Single
answers and free texts are never dumped. Registered in ``phase_type.register()``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from konzeptk.surveys.selectors import MAX_DEVIATION, MIN_GROUP, public_surveys, survey_results

#: what the dumps' manifest says about the published counts
MANIFEST = {"min_group": MIN_GROUP, "max_deviation": MAX_DEVIATION}


def survey_rows() -> Iterator[dict[str, Any]]:
    """One row per answer option of every choice, scale and ranking question, as the public results
    page shows it: published counts (cell-key method; ``suppressed`` is kept for old readers and is
    always false), surveys whose published number of questionnaires is below the page's minimum give
    no rows at all. Free texts are never dumped."""
    for survey in public_surveys():
        results = survey_results(survey)
        for item in results["items"]:
            q = item["question"]
            for row in item.get("rows", []):
                yield {
                    "survey": survey.pk,
                    "process": survey.process.slug,
                    "survey_title": survey.title,
                    "responses": results["total"],
                    "question": q.pk,
                    "question_text": q.text,
                    "kind": q.kind,
                    "answer": row["label"],
                    "count": row.get("count"),
                    "percent": row.get("percent"),
                    "average_rank": row.get("average"),
                    "suppressed": False,
                    "is_demo": survey.is_demo,
                }
