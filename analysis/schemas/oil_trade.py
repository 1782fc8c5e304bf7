"""Schema of ``oil_trade``: EU crude-oil imports by month, reporting EU country, country of origin
and crude grade (European Commission, DG ENER register); the cleaner
(:mod:`analysis.clean.tables.oil_trade`) and the tests share it.

* ``month`` — the first day of the month the sheet reports (``EU COI - Mar`` of the 2017 workbook
  → 2017-03-01). The workbook's cumulative-year sheet is never a row here.
* ``reporter_code`` / ``reporter_name`` — the importing EU member state (ISO 3166 alpha-3, the
  register's name).
* ``origin_code`` / ``origin_name`` — the country of origin as the register names it; the code is
  empty for the register's residual groups ("Other African Countries", "Other Countries"...),
  which are real imports from several unnamed countries. "Abu Dhabi" is coded ``ARE``.
* ``volume_kbbl`` thousand barrels, ``value_kusd`` thousand US$ (CIF), ``cif_usd_per_bbl`` US$ a
  barrel. Value and price are empty where the register marks them confidential ("(3)"), and
  ``is_confidential`` is then true; the volume is always given.
* ``source_row`` — ``<sheet>!<row>`` as a person finds it in the workbook (``EU COI - Mar!57``):
  one workbook has thirteen sheets, so a row number alone would not say where.
"""

from __future__ import annotations

import pandera.pandas as pa

SOURCE_ID = "eu-coir"
#: Processed column order.
COLUMNS = [
    "month",
    "reporter_code",
    "reporter_name",
    "origin_code",
    "origin_name",
    "crude_grade",
    "volume_kbbl",
    "value_kusd",
    "cif_usd_per_bbl",
    "is_confidential",
    "source_id",
    "source_file",
    "source_row",
]
KEY = ["month", "reporter_code", "origin_name", "crude_grade"]
ISO3 = r"^[A-Z]{3}$"
#: One reporter's import of one grade in one month: the largest in the register is about 40,000
#: thousand barrels; a bound far above it catches a unit error (barrels, not thousands).
VOLUME_RANGE = (0.0, 1_000_000.0)
#: CIF prices 2013-2019 were 25-130 US$ a barrel; the bounds catch a unit or column error.
CIF_RANGE = (1.0, 1000.0)

SCHEMA = pa.DataFrameSchema(
    {
        "month": pa.Column(
            "datetime64[ns]",
            [pa.Check.in_range("2000-01-01", "2100-01-01"), pa.Check(lambda s: s.dt.day == 1)],
        ),
        "reporter_code": pa.Column(str, pa.Check.str_matches(ISO3)),
        "reporter_name": pa.Column(str),
        "origin_code": pa.Column(str, pa.Check.str_matches(ISO3), nullable=True),
        "origin_name": pa.Column(str),
        "crude_grade": pa.Column(str),
        "volume_kbbl": pa.Column(float, pa.Check.in_range(*VOLUME_RANGE)),
        "value_kusd": pa.Column(float, pa.Check.ge(0.0), nullable=True),
        "cif_usd_per_bbl": pa.Column(float, pa.Check.in_range(*CIF_RANGE), nullable=True),
        "is_confidential": pa.Column(bool),
        "source_id": pa.Column(str, pa.Check.isin([SOURCE_ID])),
        "source_file": pa.Column(str),
        "source_row": pa.Column(str, pa.Check.str_matches(r"^.+!\d+$")),
    },
    strict=True,
    coerce=True,
    unique=KEY,
    name="oil_trade",
)
