"""CBI liquidity levels: Jalali keys, the suspect unit label, implied years flagged."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from analysis.clean.sources import cbi_liquidity
from analysis.errors import DataError

SNAPSHOT = Path(__file__).parent / "fixtures" / "snapshot"


def test_levels_by_iranian_year() -> None:
    result = cbi_liquidity.load(SNAPSHOT)
    t = result.table.set_index("year")
    assert t["value"].to_dict() == {2008: 1000.0, 2017: 2000.5, 2018: 3000.0}  # null 1398: gap
    assert t["is_estimate"].to_dict() == {2008: False, 2017: False, 2018: True}
    assert set(t["unit"]) == {cbi_liquidity.UNIT} and "billion rial" in cbi_liquidity.UNIT
    assert set(t["year_basis"]) == {"iranian_year"}
    assert result.rows_read == 3 and result.balanced()


def test_source_row_is_the_line_of_the_key() -> None:
    result = cbi_liquidity.load(SNAPSHOT)
    lines = (SNAPSHOT / cbi_liquidity.FILE).read_text(encoding="utf-8").splitlines()
    keys = {2008: "1387", 2017: "1396", 2018: "1397"}
    for year, line in zip(result.table["year"], result.table["source_row"], strict=True):
        assert f'"{keys[int(year)]}"' in lines[int(line) - 1]


def test_changed_unit_label_stops_the_load(tmp_path: Path) -> None:
    shutil.copytree(SNAPSHOT / "signalmap", tmp_path / "signalmap")
    path = tmp_path / cbi_liquidity.FILE
    data = json.loads(path.read_text(encoding="utf-8"))
    data["_meta"]["unit"] = "billion_rial"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DataError, match="unit label"):
        cbi_liquidity.load(tmp_path)
