"""Schema of ``oil_prices``: EIA Brent and WTI spot prices (US$ per barrel) by day, week, month
and year; the cleaner (:mod:`analysis.clean.tables.oil_prices`) and the tests share it."""

from __future__ import annotations

import pandera.pandas as pa

SOURCE_ID = "eia-oil-prices"
FREQUENCIES = ("day", "week", "month", "year")
BENCHMARKS = ("brent", "wti")
#: US$ per barrel. The lower bound is below zero on purpose: WTI settled at -36.98 on 2020-04-20
#: (EIA RWTC), a real price, not an error.
USD_PER_BARREL_RANGE = (-100.0, 1000.0)

SCHEMA = pa.DataFrameSchema(
    {
        # dates are EIA's period markers: the day itself, the week's Friday, the 15th of the
        # month, 30 June of the year
        "date": pa.Column("datetime64[ns]", pa.Check.in_range("1946-01-01", "2100-01-01")),
        "frequency": pa.Column(str, pa.Check.isin(FREQUENCIES)),
        "benchmark": pa.Column(str, pa.Check.isin(BENCHMARKS)),
        "usd_per_barrel": pa.Column(float, pa.Check.in_range(*USD_PER_BARREL_RANGE)),
        "source_id": pa.Column(str, pa.Check.isin([SOURCE_ID])),
        "source_file": pa.Column(str),
        "source_row": pa.Column(int, pa.Check.ge(1)),
    },
    strict=True,
    coerce=True,
    unique=["date", "frequency", "benchmark"],
    name="oil_prices",
)
