"""Schema of ``fx_rates``: daily rial exchange rates, one row per date, rate type, currency and
source; the cleaner (:mod:`analysis.clean.tables.fx_rates`) and the tests share it."""

from __future__ import annotations

import pandera.pandas as pa

from analysis.config import FX_RATE_TYPES
from analysis.schemas import TEXT

#: Sources of daily rates: bonbast (Tehran exchange houses' selling rate), tgju (open market and
#: NIMA closing rates).
SOURCE_IDS = ("bonbast", "tgju")
#: Rials per unit of foreign currency: in the snapshot from about 28 (1 Iraqi dinar, 2016) to about
#: 5.6 million (1 Kuwaiti dinar, 2026); the wide bounds catch only zero, negative or absurd values.
IRR_PER_UNIT_RANGE = (1.0, 1e9)

SCHEMA = pa.DataFrameSchema(
    {
        "date": pa.Column("datetime64[ns]", pa.Check.in_range("2000-01-01", "2100-01-01")),
        "date_jalali": pa.Column(
            TEXT, pa.Check.str_matches(r"^1[34][0-9]{2}/[01][0-9]/[0-3][0-9]$")
        ),
        "rate_type": pa.Column(TEXT, pa.Check.isin(FX_RATE_TYPES)),
        "currency": pa.Column(TEXT, pa.Check.str_matches(r"^[A-Z]{3}$")),
        "irr_per_unit": pa.Column(float, pa.Check.in_range(*IRR_PER_UNIT_RANGE)),
        "source_id": pa.Column(TEXT, pa.Check.isin(SOURCE_IDS)),
        "is_carried_forward": pa.Column(bool),
        "source_file": pa.Column(TEXT),
        "source_row": pa.Column(int, pa.Check.ge(1)),
    },
    strict=True,
    coerce=True,
    unique=["date", "rate_type", "currency", "source_id"],
    name="fx_rates",
)

#: Column order of the table (loaders select these).
COLUMNS: list[str] = list(SCHEMA.columns)
#: Text columns, Arrow-backed strings (:data:`~analysis.schemas.TEXT`): pandera checks
#: their dtype once and runs the pattern checks in Arrow, not cell by cell.
TEXT_COLUMNS: list[str] = ["date_jalali", "rate_type", "currency", "source_id", "source_file"]
