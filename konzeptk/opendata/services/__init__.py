"""Writes of the open data catalogue: typed, keyword-only, each in one transaction."""

from __future__ import annotations

from konzeptk.opendata.services.datasets import (
    DistributionData as DistributionData,
)
from konzeptk.opendata.services.datasets import (
    dataset_write as dataset_write,
)
from konzeptk.opendata.services.datasets import (
    datasets_delete as datasets_delete,
)
from konzeptk.opendata.services.datasets import (
    refresh as refresh,
)
from konzeptk.opendata.services.requests import (
    dataset_request_answer as dataset_request_answer,
)
from konzeptk.opendata.services.requests import (
    dataset_request_create as dataset_request_create,
)
from konzeptk.opendata.services.requests import (
    distribution_download as distribution_download,
)
from konzeptk.opendata.services.staff import (
    Metadata as Metadata,
)
from konzeptk.opendata.services.staff import (
    dataset_register as dataset_register,
)
from konzeptk.opendata.services.staff import (
    dataset_update as dataset_update,
)
from konzeptk.opendata.services.sync import (
    SyncReport as SyncReport,
)
from konzeptk.opendata.services.sync import (
    catalogue_sync as catalogue_sync,
)
