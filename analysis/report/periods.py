"""The periods of the founding article's argument: before the 2012 break, the break years, after.

Hamas backed the Syrian uprising in 2012 and lost Iran's "steady flow of funding"; the
rapprochement started in mid-2017. With breaks ``(start, end)`` a year ``y`` falls in:

- ``before {start}`` when ``y < start``;
- ``{start}–{end}`` when ``start <= y <= end`` (both break years included);
- ``after {end}`` when ``y > end``.
"""

from __future__ import annotations

import pandas as pd

from analysis.config import PERIOD_BREAKS


def labels(breaks: tuple[int, int] = PERIOD_BREAKS) -> list[str]:
    """The three period labels in time order."""
    start, end = check_breaks(breaks)
    return [f"before {start}", f"{start}–{end}", f"after {end}"]


def check_breaks(breaks: tuple[int, int]) -> tuple[int, int]:
    """``breaks`` as two ints, start ≤ end (else ValueError)."""
    start, end = int(breaks[0]), int(breaks[1])
    if start > end:
        raise ValueError(f"period break start {start} is after end {end}")
    return start, end


def period_of(years: pd.Series, breaks: tuple[int, int] = PERIOD_BREAKS) -> pd.Series:
    """The period label of each year (an ordered categorical; missing years stay missing)."""
    start, end = check_breaks(breaks)
    names = labels((start, end))
    numeric = pd.to_numeric(years, errors="coerce")
    codes = pd.Series(pd.NA, index=years.index, dtype="object")
    codes[numeric < start] = names[0]
    codes[(numeric >= start) & (numeric <= end)] = names[1]
    codes[numeric > end] = names[2]
    return pd.Series(
        pd.Categorical(codes, categories=names, ordered=True), index=years.index, name="period"
    )
