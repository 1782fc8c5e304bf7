"""EIA international series loader (``eia-intl/eia_intl_*.json``) on a SYNTHETIC series file in
the real layout, and on the real snapshot."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis.clean.base import TableResult
from analysis.clean.sources import eia_intl
from analysis.clean.tables import indicators
from analysis.errors import DataError

SNAPSHOT = Path(__file__).parent / "fixtures" / "snapshot"
FILE = "eia-intl/eia_intl_57_4_irn_tbpd_a.json"
CODE = "EIA.INTL.57_4_TBPD.A"


@pytest.fixture(scope="module")
def result() -> TableResult:
    return eia_intl.load(SNAPSHOT)


def lines_of(text: str, needle: str) -> int:
    """1-based line of the first line holding ``needle``."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def test_values_code_unit_country_and_vintage(result: TableResult) -> None:
    t = result.table.set_index("year")
    assert t["value"].to_dict() == {2018: 2000.5, 2017: 1900.0, 2013: 1000.25}
    assert set(t["indicator_code"]) == {CODE}
    assert set(t["indicator_name"]) == {"Crude oil including lease condensate exports"}
    assert set(t["unit"]) == {"thousand barrels per day"}
    assert set(t["country_code"]) == {"IRN"} and set(t["country_name"]) == {"Iran"}
    assert set(t["source_id"]) == {"eia-intl"} and set(t["vintage"]) == {"2021-07-09"}
    assert set(t["year_basis"]) == {"calendar"}
    assert not t["is_estimate"].any() and not t["is_aggregate"].any()


def test_source_row_is_the_line_where_the_pair_opens(result: TableResult) -> None:
    text = (SNAPSHOT / FILE).read_text(encoding="utf-8")
    lines = text.splitlines()
    for row, year in zip(result.table["source_row"], result.table["year"], strict=True):
        assert lines[row - 1].strip() == "["
        assert lines[row].strip() == f'"{year}",'
    assert set(result.table["source_file"]) == {FILE}
    # the same lines whatever the layout: a compact file has every pair on line 1
    assert eia_intl.pair_lines('{"data": [["2018", 1], ["2017", 2]]}', 2) == [1, 1]
    assert eia_intl.pair_lines('{"data": [\n["2018", 1],\n\n ["2017", 2]]}', 2) == [2, 4]


def test_bad_values_and_years_quarantined_gaps_not_read(result: TableResult) -> None:
    q = result.quarantine.set_index("value")
    text = (SNAPSHOT / FILE).read_text(encoding="utf-8")
    assert set(q.index) == {"12x4", "201X", "['2012']"}
    assert q.loc["12x4", "check"] == "number"
    assert q.loc["201X", "check"] == "year" and q.loc["201X", "column"] == "Year"
    assert q.loc["['2012']", "check"] == "pair"
    assert q.loc["12x4", "source_row"] == lines_of(text, '"2014"') - 1
    # null and "--" are gaps: read = 3 kept + 3 quarantined
    assert result.rows_read == 6 and result.balanced() and not result.excluded


def test_any_series_file_of_the_family_is_read(tmp_path: Path) -> None:
    shutil.copytree(SNAPSHOT / "eia-intl", tmp_path / "eia-intl")
    other = {
        "series_id": "INTL.57-1-IRQ-TBPD.A",
        "name": "Crude oil including lease condensate production, Iraq, Annual",
        "units": "thousand barrels per day",
        "f": "A",
        "geography": "IRQ",
        "last_updated": "2023-01-02T00:00:00-05:00",
        "geoset_id": "INTL.57-1-TBPD.A",
        "data": [["2020", 4000]],
    }
    region = other | {"series_id": "INTL.57-1-WORL-TBPD.A", "geography": "WORL"}
    monthly = other | {"series_id": "INTL.57-1-IRQ-TBPD.M", "f": "M", "data": [["202001", 1]]}
    for name, series in (("irq", other), ("worl", region), ("irq_m", monthly)):
        (tmp_path / f"eia-intl/eia_intl_synthetic_{name}.json").write_text(json.dumps(series))
    result = eia_intl.load(tmp_path)
    iraq = result.table[result.table["country_code"] == "IRQ"]
    assert iraq[["indicator_code", "year", "value", "vintage"]].values.tolist() == [
        ["EIA.INTL.57_1_TBPD.A", 2020, 4000.0, "2023-01-02"]
    ]
    assert set(iraq["indicator_name"]) == {"Crude oil including lease condensate production"}
    assert result.excluded == {"aggregate": 1, "not_annual": 1}
    assert result.balanced()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"series_id": "x", "data": [', "not valid JSON"),
        ("[1, 2]", "not a JSON object"),
        ('{"series_id": "x"}', "lacks name"),
        (
            json.dumps(dict.fromkeys(eia_intl.REQUIRED, "A") | {"data": {"2018": 1}}),
            "not a list",
        ),
    ],
)
def test_malformed_file_is_a_data_error_naming_it(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "eia-intl").mkdir()
    (tmp_path / FILE).write_text(text)
    with pytest.raises(DataError, match=message) as raised:
        eia_intl.load(tmp_path)
    assert FILE in str(raised.value)


def test_code_and_name_helpers() -> None:
    assert eia_intl.code_of({"series_id": "INTL.57-4-IRN-TBPD.A"}) == "EIA.INTL.57_4_IRN_TBPD.A"
    assert eia_intl.name_of("Coal exports, Korea, South, Annual", "A", "South Korea") == (
        "Coal exports, Korea, South"  # a country spelt otherwise is left in the name
    )
    assert eia_intl.vintage_of(None, pd.Series([2017, 2018])) == "~2019"


def test_in_the_indicators_table() -> None:
    built = indicators.build(SNAPSHOT)
    rows = built.table[built.table["source_id"] == "eia-intl"]
    assert rows["year"].tolist() == [2018, 2017, 2013]
    assert FILE in built.inputs


# --- the real snapshot --------------------------------------------------------------------


@pytest.mark.snapshot
def test_real_snapshot_iran_crude_exports(real_snapshot: Path) -> None:
    result = eia_intl.load(real_snapshot)
    t = result.table.set_index("year")
    assert len(t) == 39 and t.index.min() == 1980 and t.index.max() == 2018
    # eia_intl_57_4_irn_tbpd_a.json: 2018 = 2230.938, 2013 = 1086.4 (sanctions dip), 1981 = 714.6
    assert t.loc[2018, "value"] == 2230.938
    assert t.loc[2013, "value"] == 1086.4 and t.loc[1981, "value"] == 714.6
    assert set(t["vintage"]) == {"2021-07-09"} and set(t["country_code"]) == {"IRN"}
    assert set(t["unit"]) == {"thousand barrels per day"}
    assert result.quarantine.empty and result.balanced()
