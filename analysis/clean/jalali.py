"""Iranian (Solar Hijri, Jalali) years as the Iranian sources write them.

Convention of the ``indicators`` table: an Iranian year is stored as the Gregorian year in which
it *starts* (1 Farvardin ≈ 21 March), with ``year_basis = 'iranian_year'``: Jalali 1397 (21 March
2018 – 20 March 2019) → 2018. Conversion goes through ``jdatetime``, never by adding 621.
"""

from __future__ import annotations

from functools import lru_cache

import jdatetime
import pandas as pd

from analysis.parse.dates import expand_jalali_year


@lru_cache(maxsize=512)
def gregorian_start_year(jalali_year: int) -> int:
    """The Gregorian year in which Jalali year ``jalali_year`` starts (1 Farvardin).

    >>> gregorian_start_year(1397)
    2018
    """
    return int(jdatetime.date(jalali_year, 1, 1).togregorian().year)


def to_start_years(years: pd.Series) -> pd.Series:
    """Vectorised :func:`gregorian_start_year` of a Jalali year as written (``77``, ``102`` or
    ``1397``, read by :func:`analysis.parse.dates.expand_jalali_year`); integers in, out."""
    table = {y: gregorian_start_year(expand_jalali_year(int(y))) for y in years.unique()}
    return years.map(table).astype("int64")
