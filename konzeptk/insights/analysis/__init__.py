"""Representation, weighting and cohesion of a process (or the whole platform), computed from the
selectors' reads with the pure engine. Nothing here writes; every count shown to people passes the
engine's small-cell suppression (cells of 1 to 4 people are never published).

The pages use :func:`cached`: a report is kept in the cache under a key that contains
``selectors.contributions_fingerprint`` (count and latest time of every contribution, profile and
consent the report reads), so the first request after a new contribution or a withdrawn consent
computes afresh and no page ever shows a report older than the data."""

from konzeptk.insights.analysis.cohesion import CohesionIdea, CohesionReport, cohesion_report
from konzeptk.insights.analysis.common import (
    FLAGGED_MAX,
    MIN,
    REPORT_CACHE_SECONDS,
    band_label,
    cached,
    idea_url,
    sex_label,
    small,
)
from konzeptk.insights.analysis.representation import (
    HISTORY_DAYS,
    History,
    RepresentationReport,
    RepRow,
    RepTable,
    Series,
    SeriesPoint,
    StoredDay,
    WeekPoint,
    group_key,
    representation_history,
    representation_on,
    representation_report,
    table_titles,
)
from konzeptk.insights.analysis.weighting import (
    WeightedBlock,
    WeightedItem,
    WeightingReport,
    weighting_report,
)

__all__ = [
    "FLAGGED_MAX",
    "HISTORY_DAYS",
    "MIN",
    "REPORT_CACHE_SECONDS",
    "CohesionIdea",
    "CohesionReport",
    "History",
    "RepRow",
    "RepTable",
    "RepresentationReport",
    "Series",
    "SeriesPoint",
    "StoredDay",
    "WeekPoint",
    "WeightedBlock",
    "WeightedItem",
    "WeightingReport",
    "band_label",
    "cached",
    "cohesion_report",
    "group_key",
    "idea_url",
    "representation_history",
    "representation_on",
    "representation_report",
    "sex_label",
    "small",
    "table_titles",
    "weighting_report",
]
