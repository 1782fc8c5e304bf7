"""Schema of ``events``: dated context events (Hamas-Iran relations, sanctions, Gaza, ...).

One row per event: the rows of ``data/raw/ledgers/events.csv`` (``source_id`` ``ledger``) and
the events of SignalMap's ``signalmap/events_iran.json`` chosen in
``data/raw/ledgers/signalmap_events.csv`` (``source_id`` ``signalmap``). The ledger's columns
come first, then the derived ``event_date`` (the first day of the date as written),
``date_precision`` and ``year``, then provenance. Vocabularies are named here once.
"""

from __future__ import annotations

import pandera.pandas as pa

from analysis.schemas.claims import not_future

LEDGER_COLUMNS = [
    "event_id",
    "date",
    "event",
    "category",
    "source_url",
    "actor",
    "instrument",
    "primary_reference",
    "amount_usd_as_reported",
    "rial_per_usd_level",
    "chart_label",
    "research_id",
    "also_in",
    "notes",
]
REQUIRED_COLUMNS = ["event_id", "date", "event", "category", "source_url"]
#: Ledger columns holding a positive number (empty allowed).
NUMBER_COLUMNS = ["amount_usd_as_reported", "rial_per_usd_level"]
#: The categories of the research notes' events.csv; sanctions, relief and waivers alike are
#: ``sanctions`` (``actor`` and ``instrument`` say whose and which).
CATEGORIES = ("hamas_iran_relations", "sanctions", "gaza", "iran_economy", "regional")
DATE_PRECISIONS = ("day", "month", "year")
#: Where an event row comes from.
SOURCE_IDS = ("ledger", "signalmap")
#: ``also_in`` names an event of another source as ``<source_id>:<its id>``.
ALSO_IN_PATTERN = r"^signalmap:[\w-]+$"
DERIVED_COLUMNS = ["event_date", "date_precision", "year"]
COLUMNS = LEDGER_COLUMNS + DERIVED_COLUMNS + ["source_id", "source_file", "source_row"]

SCHEMA = pa.DataFrameSchema(
    {
        "event_id": pa.Column(str, pa.Check.str_length(min_value=1), unique=True),
        "date": pa.Column(str, [pa.Check.str_matches(r"^\d{4}(-\d{2}(-\d{2})?)?$"), not_future()]),
        "event": pa.Column(str, pa.Check.str_length(min_value=1)),
        "category": pa.Column(str, pa.Check.isin(CATEGORIES)),
        "source_url": pa.Column(str, pa.Check.str_matches(r"^https?://[^\s/]+")),
        "actor": pa.Column(str, nullable=True),
        "instrument": pa.Column(str, nullable=True),
        "primary_reference": pa.Column(str, nullable=True),
        "amount_usd_as_reported": pa.Column(float, pa.Check.gt(0), nullable=True),
        "rial_per_usd_level": pa.Column("Int64", pa.Check.gt(0), nullable=True),
        "chart_label": pa.Column(str, pa.Check.str_length(min_value=1), nullable=True),
        "research_id": pa.Column(str, nullable=True),
        "also_in": pa.Column(str, pa.Check.str_matches(ALSO_IN_PATTERN), nullable=True),
        "notes": pa.Column(str, nullable=True),
        "event_date": pa.Column("datetime64[ns]"),
        "date_precision": pa.Column(str, pa.Check.isin(DATE_PRECISIONS)),
        "year": pa.Column(int, pa.Check.in_range(1900, 2100)),
        "source_id": pa.Column(str, pa.Check.isin(SOURCE_IDS)),
        "source_file": pa.Column(str),
        "source_row": pa.Column(int, pa.Check.ge(1)),
    },
    strict=True,
    ordered=True,
    coerce=True,
    unique=["date", "event"],
    name="events",
)
