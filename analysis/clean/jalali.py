"""Iranian (Solar Hijri, Jalali) years as the Iranian sources write them.

Convention of the ``indicators`` table: an Iranian year is stored as the Gregorian year in which
it *starts* (1 Farvardin ≈ 21 March), with ``year_basis = 'iranian_year'``: Jalali 1397 (21 March
2018 – 20 March 2019) → 2018. Conversion goes through ``jdatetime``, never by adding 621.
"""

from __future__ import annotations

from functools import lru_cache

import jdatetime
import pandas as pd

#: Iranian dashboards write years relative to 1300: ``77`` = 1377, ``102`` = 1402.
SHORT_YEAR_BASE = 1300
#: Years written in full are at least this (no source here reaches back before 1300 SH).
FULL_YEAR_MIN = 1000


def full_year(year: int) -> int:
    """A Jalali year as written (``77``, ``102`` or ``1397``) → the full year (``1397``)."""
    return year + SHORT_YEAR_BASE if year < FULL_YEAR_MIN else year


@lru_cache(maxsize=512)
def gregorian_start_year(jalali_year: int) -> int:
    """The Gregorian year in which Jalali year ``jalali_year`` starts (1 Farvardin).

    >>> gregorian_start_year(1397)
    2018
    """
    return int(jdatetime.date(jalali_year, 1, 1).togregorian().year)


def to_start_years(years: pd.Series) -> pd.Series:
    """Vectorised :func:`gregorian_start_year` of :func:`full_year` (integers in, out)."""
    table = {y: gregorian_start_year(full_year(int(y))) for y in years.unique()}
    return years.map(table).astype("int64")
