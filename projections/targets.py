"""The MSP's target bands for the vCIO dashboard, in one place: the product's defaults.

Numbers from the brief and the manual: a vCIO carries 35-45 clients; the average MRR per
client is about 3,000 and "may fluctuate between 2,500 and 3,500"; the manual's example vCIO
manages 40 clients and 120,000 MRR, so MRR per vCIO is banded 105,000-135,000 (35 to 45 clients
at the average 3,000); non-recurring revenue is 25-30% of MRR. Workload per vCIO per month, from
the manual's cadence table: its average client (A) has a meeting a quarter and a touch a month,
its most demanding (C) a meeting every other month and two touches a month; so 35 clients of the
average kind ask 35 touches and about 11.7 meetings a month (the low ends, 35 and 11), and 45
clients of the demanding kind 90 touches and 22.5 meetings (the high ends, 90 and 23). Bands are
inclusive. The read
model (``projections.vcio_dashboard``) and the web dashboard both read them from here; making
them the MSP's own settings, as events, is the MSP aggregate's work.
"""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Band:
    low: Decimal
    high: Decimal

    def place(self, value: Decimal | None) -> str | None:
        """below / in / above (None when there is no value)."""
        if value is None:
            return None
        return "below" if value < self.low else "above" if value > self.high else "in"


@dataclass(frozen=True)
class Targets:
    clients_per_vcio: Band
    average_mrr: Band
    mrr_per_vcio: Band
    nrr_share_percent: Band
    touches_per_vcio_month: Band = Band(Decimal(35), Decimal(90))
    meetings_per_vcio_month: Band = Band(Decimal(11), Decimal(23))


DEFAULT_TARGETS = Targets(
    clients_per_vcio=Band(Decimal(35), Decimal(45)),
    average_mrr=Band(Decimal(2500), Decimal(3500)),
    mrr_per_vcio=Band(Decimal(105000), Decimal(135000)),
    nrr_share_percent=Band(Decimal(25), Decimal(30)),
)
