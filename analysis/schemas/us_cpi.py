"""Schema of ``us_cpi``: the annual average of the US CPI-U (all items, 1982-84 = 100).

One row per full calendar year; the cleaner (:mod:`analysis.clean.tables.us_cpi`) and the tests
share it.
"""

from __future__ import annotations

import pandera.pandas as pa

#: The one source of this table (datahub core/cpi-us, BLS series CUUR0000SA0).
SOURCE_ID = "datahub-cpi-us"

SCHEMA = pa.DataFrameSchema(
    {
        "year": pa.Column(int, pa.Check.in_range(1913, 2100)),
        # CPI-U was 9.7 in 1913-1916 (its lowest) and is a few hundred today.
        "cpi_u_annual_average": pa.Column(float, pa.Check.in_range(1.0, 10_000.0)),
        "source_id": pa.Column(str, pa.Check.isin([SOURCE_ID])),
        "source_file": pa.Column(str),
        "source_row": pa.Column(int, pa.Check.ge(1)),
    },
    strict=True,
    coerce=True,
    unique=["year"],
    name="us_cpi",
)
