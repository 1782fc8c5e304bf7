"""OWID oil production: TWh as its own indicator, aggregates excluded, OWID codes mapped."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.clean.sources import owid
from analysis.errors import DataError

SNAPSHOT = Path(__file__).parent / "fixtures" / "snapshot"


def test_countries_kept_aggregates_excluded() -> None:
    result = owid.load(SNAPSHOT)
    got = {(r.country_code, r.year): r.value for r in result.table.itertuples()}
    assert got == {
        ("IRN", 2020): 1665.9946,
        ("IRN", 2021): 1949.8636,
        ("SUN", 1980): 7014.98,  # OWID_USS
        ("XKX", 2021): 0.0,  # OWID_KOS; a zero is a value, not a gap
    }
    # 'Africa (BP)', the coded 'World' and an uncoded entity; the empty Iran 2019 is a gap
    assert result.excluded == {"aggregate": 3}
    assert result.rows_read == 7 and result.balanced()
    assert set(result.table["indicator_code"]) == {"OWID.OIL_PROD.TWH"}
    assert set(result.table["unit"]) == {"TWh"}
    assert result.table.set_index("country_code").loc["SUN", "source_row"] == 5


def test_series_of_reads_the_unit_from_the_header() -> None:
    assert owid.series_of("Oil production (TWh)") == ("OWID.OIL_PROD.TWH", "Oil production", "TWh")
    assert owid.series_of("Gas production (m³)")[0] == "OWID.GAS_PROD.M3"
    with pytest.raises(DataError):
        owid.series_of("Oil production")


def test_other_layout_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "owid-oil-production"
    folder.mkdir()
    (folder / "x.csv").write_text("Country,Year,Value\nIran,2020,1\n", encoding="utf-8")
    with pytest.raises(DataError, match="grapher export"):
        owid.load(tmp_path)
