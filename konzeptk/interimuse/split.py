"""The rent split of a contract: pure, in ``Decimal``, always summing exactly to the rent.

Rounding (the largest-remainder method, as used for seat apportionment): each share's exact amount
``rent × percent / 100`` is cut down to whole cents; the cents still missing to the rent (at most two
with three shares) go one each to the shares with the largest cut-off remainder; on equal remainders
the order owner, funding, tenant decides. So no share is ever more than one cent away from its exact
amount and the three amounts add up to the rent to the cent.

Example (Krefeld's programme, 30/50/20) for a rent of 333.33 €: exact 99.999 / 166.665 / 66.666;
cut 99.99 / 166.66 / 66.66 (sum 333.31); the two missing cents go to the owner (remainder 0.009) and
the tenant (0.006): 100.00 / 166.66 / 66.67.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

CENT = Decimal("0.01")


class SplitError(ValueError):
    """Shares that do not add up to 100 % or a negative rent."""


@dataclass(frozen=True)
class Split:
    owner: Decimal
    funding: Decimal
    tenant: Decimal

    @property
    def total(self) -> Decimal:
        return self.owner + self.funding + self.tenant


def rent_split(
    *, rent: Decimal, owner_share: Decimal, funding_share: Decimal, tenant_share: Decimal
) -> Split:
    """Split the monthly ``rent`` (euros) by the shares in percent (they must add up to 100)."""
    shares = (Decimal(owner_share), Decimal(funding_share), Decimal(tenant_share))
    if any(s < 0 for s in shares) or sum(shares) != 100:
        raise SplitError("shares must be non-negative and add up to 100")
    rent = Decimal(rent)
    if rent < 0 or rent != rent.quantize(CENT):
        raise SplitError("the rent must be a non-negative amount in whole cents")
    exact = [rent * s / 100 for s in shares]
    cut = [e.quantize(CENT, rounding=ROUND_DOWN) for e in exact]
    missing = int((rent - sum(cut)) / CENT)
    order = sorted(range(3), key=lambda i: (-(exact[i] - cut[i]), i))
    for i in order[:missing]:
        cut[i] += CENT
    return Split(owner=cut[0], funding=cut[1], tenant=cut[2])
