"""Schema of the ``indicators`` table: one row per (source, indicator, country, year).

The table is long: every source's wide sheet (a column per year) becomes one row per cell that
holds a number. Conventions every row follows:

* ``country_code`` — ISO 3166 alpha-3 (``IRN``, ``PSE``; ``XKX`` for Kosovo as the World Bank
  writes it); historic states use their ISO 3166-3 code (``SUN`` USSR, ``CSK`` Czechoslovakia,
  ``DDR``, ``YUG``); World Bank aggregates keep the Bank's code (``MEA``, ``WLD``) with
  ``is_aggregate`` true.
* ``year`` — an integer. ``year_basis`` says what it means: ``calendar`` (January–December),
  ``financial_year`` (a financial year *starting* in ``year``, as SIPRI and the IMF label them),
  ``iranian_year`` (the Solar Hijri year that starts on 1 Farvardin, about 21 March, of ``year``:
  Jalali 1397 → 2018).
* ``unit`` — always explicit; barrels per day, tonnes and TWh are different indicators.
* ``is_estimate`` — the source marks the value as an estimate or projection (IMF WEO: years after
  "Estimates Start After"; CBI liquidity: years the file says are implied or rounded).
* ``vintage`` — the release the value comes from: the file's own date where it states one
  (World Bank "Last Updated Date" ``2026-02-24``, ``2024-10`` for WEO October 2024, ``2025``
  for the SIPRI 2025 release); ``~YYYY`` when the file states none (the year after its last data
  column: an approximation). Only one vintage of a cell is kept by default: the newest vintage of
  a series, except SIPRI, where a country-year takes all its measures from one release (see
  :mod:`analysis.clean.tables.indicators`).
* ``other_vintage`` / ``other_vintage_value`` — where a vintage left out gives a *different*
  figure for the same (source, indicator, country, year), that vintage and its figure (the newest
  such); missing where no other vintage has the cell or it shows the same figure rounded
  differently. ``vintage`` and ``other_vintage`` together say which release revised what.
* ``source_file`` / ``source_row`` — the raw file (relative to the raw folder) and the 1-based
  line (CSV) or spreadsheet row (xlsx) holding the value; several rows share a line when the
  file is wide.
"""

from __future__ import annotations

import pandera.pandas as pa

from analysis.schemas import TEXT

#: Processed column order.
COLUMNS = [
    "country_code",
    "country_name",
    "indicator_code",
    "indicator_name",
    "unit",
    "year",
    "year_basis",
    "value",
    "source_id",
    "is_aggregate",
    "is_estimate",
    "vintage",
    "source_file",
    "source_row",
]
#: Added by the table's build (not by the loaders): the figure of another vintage, where revised.
OTHER_VINTAGE_COLUMNS = ["other_vintage", "other_vintage_value"]
#: One value per key once the vintage is chosen.
KEY = ["source_id", "indicator_code", "country_code", "year"]
YEAR_BASES = ("calendar", "financial_year", "iranian_year")
SOURCE_IDS = (
    "worldbank",
    "datahub-inflation",
    "datahub-gdp",
    "sipri",
    "imf-weo",
    "energy-institute",
    "owid-oil-production",
    "iran-sci-cpi",
    "signalmap",
    "eia-intl",
)
TEXT_COLUMNS = [
    "country_code",
    "country_name",
    "indicator_code",
    "indicator_name",
    "unit",
    "year_basis",
    "source_id",
    "vintage",
    "source_file",
]
#: Oldest and newest years any source covers (OWID starts in 1900, WEO projects to 2029).
YEAR_RANGE = (1900, 2100)


def _column(dtype: object, *checks: pa.Check) -> pa.Column:
    """A non-nullable, coerced column with ``checks``."""
    return pa.Column(dtype, list(checks), nullable=False, coerce=True)


def _columns() -> dict[str, pa.Column]:
    finite = pa.Check(lambda s: s.abs() < float("inf"), element_wise=False, name="finite")
    return {
        "country_code": _column(TEXT, pa.Check.str_matches(r"^[A-Z]{3}$")),
        "country_name": _column(TEXT, pa.Check.str_length(min_value=1)),
        "indicator_code": _column(TEXT, pa.Check.str_matches(r"^[A-Z][A-Za-z0-9_.]*$")),
        "indicator_name": _column(TEXT, pa.Check.str_length(min_value=1)),
        "unit": _column(TEXT, pa.Check.str_length(min_value=1)),
        "year": _column(int, pa.Check.in_range(*YEAR_RANGE)),
        "year_basis": _column(TEXT, pa.Check.isin(YEAR_BASES)),
        "value": _column(float, finite),
        "source_id": _column(TEXT, pa.Check.isin(SOURCE_IDS)),
        "is_aggregate": _column(bool),
        "is_estimate": _column(bool),
        "vintage": _column(TEXT, pa.Check.str_length(min_value=1)),
        "source_file": _column(TEXT, pa.Check.str_length(min_value=1)),
        "source_row": _column(int, pa.Check.ge(1)),
        "other_vintage": pa.Column(
            TEXT, pa.Check.str_length(min_value=1), nullable=True, required=False
        ),
        "other_vintage_value": pa.Column(float, finite, nullable=True, required=False),
    }


#: The processed table (newest vintage only): unique on :data:`KEY`.
SCHEMA = pa.DataFrameSchema(
    _columns(), strict=True, ordered=False, unique=KEY, name="indicators", coerce=True
)
#: The same rows with every vintage kept (``build(raw_dir, vintages="all")``).
SCHEMA_ALL_VINTAGES = pa.DataFrameSchema(
    _columns(),
    strict=True,
    ordered=False,
    unique=[*KEY, "vintage"],
    name="indicators_all_vintages",
    coerce=True,
)
