"""Military spending series come from ONE SIPRI release (synthetic two-release frame)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.report import finances


def _row(code: str, year: int, value: float, vintage: str, other=None, other_value=np.nan):
    return {
        "country_code": "IRN",
        "indicator_code": code,
        "year": year,
        "value": value,
        "source_id": "worldbank" if code == finances.MILEX_PCT_GDP else "sipri",
        "vintage": vintage,
        "other_vintage": other,
        "other_vintage_value": other_value,
        "unit": "u",
        "indicator_name": code,
        "source_file": "f",
        "source_row": 1,
    }


def _two_releases() -> pd.DataFrame:
    """The older release (2024) kept for 2022–2023 with the newer's revision recorded, the
    newer (2025) alone for 2024: the shape of the real table."""
    usd, share, rial = (
        finances.SIPRI_USD_CURRENT,
        finances.SIPRI_SHARE_GDP,
        finances.SIPRI_LOCAL_CALENDAR,
    )
    rows = [
        _row(usd, 2021, 5000.0, "2024"),
        _row(usd, 2022, 7300.0, "2024", "2025", 7400.0),
        _row(usd, 2023, 10300.0, "2024", "2025", 7400.0),
        _row(usd, 2024, 7900.0, "2025"),
        *(_row(share, y, 0.02, "2024") for y in (2021, 2022, 2023)),
        *(_row(rial, y, 1e15, "2024") for y in (2021, 2022, 2023)),
        *(_row(finances.MILEX_PCT_GDP, y, 2.3, "2026-02-24") for y in (2021, 2022, 2023, 2024)),
    ]
    return pd.DataFrame(rows)


def _annual() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "rate_type": ["official"] * 4,
            "year": [2021, 2022, 2023, 2024],
            "source_id": ["s"] * 4,
            "irr_per_usd": [42000.0] * 4,
            "n_days": [300] * 4,
        }
    )


def test_sipri_dollars_come_from_the_latest_release_for_every_year() -> None:
    got = finances.latest_release(_two_releases(), finances.SIPRI_USD_CURRENT)
    assert got["value"].tolist() == [5000.0, 7400.0, 7400.0, 7900.0]
    assert set(got["release"]) == {"2025"}
    # the false drop 2023 → 2024 (10.3 bn of one release to 7.9 bn of another) is gone
    assert got.set_index("year")["value"][2024] > got.set_index("year")["value"][2023]


def test_military_keeps_each_series_to_one_release_and_names_it() -> None:
    milex = finances.military(_two_releases(), _annual(), rate_type="official")
    assert set(milex[finances.USD_RELEASE].dropna()) == {"2025"}
    assert finances.release_label(milex) == "SIPRI's 2025 release"
    # the share of GDP is one source throughout (the one reaching 2024), not two spliced
    assert set(milex[finances.PCT_SOURCE].dropna()) == {"worldbank"}
    # SIPRI's implied rate still divides one release's rials by the same release's dollars
    conversion = finances.sipri_conversion(milex, _annual())
    assert conversion.set_index("year")["usd_m_sipri"][2023] == 10300.0


def test_military_bases_draws_sipri_dollars_from_one_release() -> None:
    bases = finances.military_bases(_two_releases(), _annual())
    sipri = bases[bases["basis"] == finances.SIPRI_BASIS].set_index("year")["milex_usd_m"]
    assert sipri[2023] == 7400.0


def test_conversion_paragraph_names_the_release_of_its_rials_and_dollars() -> None:
    from analysis.report import finance_story

    milex = finances.military(_two_releases(), _annual(), rate_type="official")
    assert set(milex["rial_release"].dropna()) == {"2024"}
    said = finance_story._conversion_release(milex)
    assert "SIPRI's 2024 release" in said and "the 2025 release's dollars" in said
    assert finance_story._conversion_release(milex.assign(usd_release="2024")) == ""
