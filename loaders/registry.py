"""``DATASETS``: every dataset the loaders accept, by name, in dependency order."""
from __future__ import annotations

from loaders.datasets import (disbursements, events, fund_applications, helpdesk_requests, indicator_values,
                              indicators, municipalities, participants, priorities, results, users)
from loaders.datasets import actors, practices  # stream know (issue 16)
from loaders.spec import DatasetSpec

# Dependency order: a dataset comes after every dataset it refers to.
DATASETS: dict[str, DatasetSpec] = {m.SPEC.name: m.SPEC for m in (
    municipalities, indicators, indicator_values, priorities, fund_applications, disbursements, results,
    helpdesk_requests, events, participants, users,
    practices, actors,
)}


def get_spec(dataset: str) -> DatasetSpec:
    try:
        return DATASETS[dataset]
    except KeyError:
        raise ValueError(f"unknown dataset {dataset!r}; known: {', '.join(DATASETS)}") from None


def template_csv(dataset: str) -> bytes:
    """A blank template: the header row only, UTF-8 with BOM (so Excel opens it right), comma separated."""
    return ("\ufeff" + ",".join(get_spec(dataset).column_names) + "\r\n").encode("utf-8")
