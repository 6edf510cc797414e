"""The ballot result in the JSON API, at its old place ``/api/v1/participation/processes/{slug}/ballot``
(mounted next to participation's router in ``konzeptk/api.py``). Aggregates only, after the end."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.pagination import paginate

from konzeptk.ballots import selectors
from konzeptk.core.errors import DomainError
from konzeptk.core.pagination import Pagination
from konzeptk.participation.selectors import process_by_slug

router = Router(tags=["Beteiligung"])


class BallotRowOut(Schema):
    idea: int
    title: str
    votes: int


@router.get(
    "/processes/{slug}/ballot",
    response=list[BallotRowOut],
    summary="Ergebnis der Abstimmung (nach dem Ende)",
    # the operation keeps the id it had while it lived in participation's router
    operation_id="konzeptk_participation_api_ballot_result",
)
@paginate(Pagination)
def ballot_result(request: HttpRequest, slug: str) -> list[dict[str, object]]:
    process = process_by_slug(slug)
    if process is None or not process.is_public:
        raise DomainError("process_not_found", "Diesen Beteiligungsprozess gibt es nicht.", 404)
    ballot = selectors.ballot_for(process)
    if ballot is None:
        raise DomainError("no_ballot", "Dieser Prozess hat keine Abstimmung.", 404)
    if timezone.now() < ballot.phase.end:
        raise DomainError(
            "ballot_running", "Das Ergebnis wird erst nach dem Ende der Abstimmung veröffentlicht.", 409
        )
    return [
        {"idea": r.idea.pk, "title": r.idea.title, "votes": r.votes} for r in selectors.ballot_results(ballot)
    ]
