"""Schema of ``events``: dated context events (Hamas-Iran relations, sanctions, Gaza, ...).

One row per event of ``data/raw/ledgers/events.csv``: the ledger's columns, then the derived
``event_date`` (the first day of the date as written), ``date_precision`` and ``year``, then
provenance. The category vocabulary is named here once.
"""

from __future__ import annotations

import pandera.pandas as pa

LEDGER_COLUMNS = ["date", "event", "category", "source_url"]
REQUIRED_COLUMNS = ["date", "event", "category", "source_url"]
#: ../shared/research/events.csv's categories.
CATEGORIES = ("hamas_iran_relations", "sanctions", "gaza", "iran_economy", "regional")
DATE_PRECISIONS = ("day", "month", "year")
COLUMNS = LEDGER_COLUMNS + ["event_date", "date_precision", "year", "source_file", "source_row"]

SCHEMA = pa.DataFrameSchema(
    {
        "date": pa.Column(str, pa.Check.str_matches(r"^\d{4}(-\d{2}(-\d{2})?)?$")),
        "event": pa.Column(str, pa.Check.str_length(min_value=1)),
        "category": pa.Column(str, pa.Check.isin(CATEGORIES)),
        "source_url": pa.Column(str, pa.Check.str_matches(r"^https?://[^\s/]+")),
        "event_date": pa.Column("datetime64[ns]"),
        "date_precision": pa.Column(str, pa.Check.isin(DATE_PRECISIONS)),
        "year": pa.Column(int, pa.Check.in_range(1900, 2100)),
        "source_file": pa.Column(str),
        "source_row": pa.Column(int, pa.Check.ge(2)),
    },
    strict=True,
    ordered=True,
    coerce=True,
    unique=["date", "event"],
    name="events",
)
