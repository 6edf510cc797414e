"""Signals of the insights room.

``landscape_stale`` is sent after the commit that marked a Meinungsbild phase's opinion landscape as
out of date (argument ``phase_id``). The services send it and know nothing of who recomputes;
:mod:`konzeptk.insights.background` listens (connected in ``InsightsConfig.ready``) and starts the
recomputation by thread, Celery or not at all. So the layers point one way: background and tasks
use the services, never the other way round.
"""

from __future__ import annotations

from django.dispatch import Signal

landscape_stale = Signal()
