"""The ``events`` table: ledger and SignalMap on SYNTHETIC files, chart markers, rial levels.

Fixtures: tests/fixtures/ledgers/{events.csv, signalmap_events.csv, events_iran.json} (synthetic).
The real curated ledger is checked as it is; the rial levels also against the real snapshot.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis import config
from analysis.clean.pipeline import check_balance, validate
from analysis.clean.tables import events, fx_rates
from analysis.errors import DataError
from analysis.report import charts
from analysis.report.rial_levels import check_rial_levels, first_day_at_or_above
from analysis.schemas import events as events_schema

FIXTURES = Path(__file__).parent / "fixtures" / "ledgers"
REPO_LEDGERS = config.REPO_ROOT / "data" / "raw" / "ledgers"


def _raw(tmp_path: Path, ledgers: Path, *, signalmap: Path | None) -> Path:
    raw = tmp_path / "raw"
    (raw / "ledgers").mkdir(parents=True)
    for name in ("events.csv", "signalmap_events.csv"):
        shutil.copy(ledgers / name, raw / "ledgers" / name)
    if signalmap is not None:
        (raw / "signalmap").mkdir()
        shutil.copy(signalmap, raw / "signalmap" / "events_iran.json")
    return raw


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    """A raw folder with the synthetic ledger, choices and SignalMap file."""
    return _raw(tmp_path, FIXTURES, signalmap=FIXTURES / "events_iran.json")


def _built(raw: Path) -> events.TableResult:
    result = validate(events.build(raw), events_schema.SCHEMA, "events")
    check_balance("events", result)
    return result


# --- synthetic ledger and SignalMap file -------------------------------------------------------
def test_ledger_rows_are_checked_and_dated(raw: Path) -> None:
    result = _built(raw)
    ledger = result.table[result.table["source_id"] == "ledger"]
    assert ledger["event_id"].tolist() == ["X01", "X02", "X03", "X11"]
    assert ledger["date_precision"].tolist() == ["day", "month", "year", "day"]
    assert ledger["event_date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2010-01-15",
        "2011-06-01",
        "2012-01-01",
        "2020-02-03",
    ]
    assert ledger["amount_usd_as_reported"].tolist()[1] == 15e6
    assert ledger["rial_per_usd_level"].tolist()[3] == 100_000
    q = result.quarantine[result.quarantine["source_file"] == "ledgers/events.csv"]
    checks = q.groupby("source_row")["check"].apply(set).to_dict()
    assert checks == {
        5: {"date"},
        6: {"vocabulary"},
        7: {"url"},
        8: {"required"},
        9: {"unique"},  # same date and event as X01
        10: {"number"},  # "1,000": a separator
        11: {"unique"},  # X02 again
    }


def test_signalmap_events_are_kept_excluded_or_quarantined(raw: Path) -> None:
    result = _built(raw)
    kept = result.table[result.table["source_id"] == "signalmap"]
    assert kept["event_id"].tolist() == ["signalmap:sm-1"]
    row = kept.iloc[0]
    assert (row["category"], row["source_url"], row["date"]) == (
        "sanctions",
        "https://example.org/sm1",
        "2021-01-02",
    )
    assert row["event"] == "SYNTHETIC kept: Invented event kept."
    assert "https://example.org/sm1b" in row["notes"] and "SYNTHETIC: kept" in row["notes"]
    assert (row["source_file"], row["source_row"]) == ("signalmap/events_iran.json", 1)
    # sm-2 is ledger row X03's also_in: one row per event, even though the choice says leave_out
    assert result.excluded == {events.SAME_AS_LEDGER: 1, events.LEFT_OUT: 1}
    q = result.quarantine[result.quarantine["source_file"] == events.SIGNALMAP]
    checks = q.groupby("source_row")["check"].apply(set).to_dict()
    assert checks == {4: {"reviewed"}, 5: {"date"}, 6: {"required"}}


def test_an_also_in_naming_no_signalmap_event_is_noted(raw: Path) -> None:
    path = raw / "ledgers" / "events.csv"
    path.write_text(path.read_text().replace("signalmap:sm-2", "signalmap:sm-99"))
    result = _built(raw)
    assert any("['sm-99']" in note for note in result.notes)
    assert result.excluded == {events.LEFT_OUT: 2}  # sm-2 now stands on its own choice


def test_without_the_signalmap_file_the_table_is_the_ledger(tmp_path: Path) -> None:
    result = _built(_raw(tmp_path, FIXTURES, signalmap=None))
    assert set(result.table["source_id"]) == {"ledger"} and result.excluded == {}


def test_a_choice_without_a_reason_is_a_file_defect(raw: Path) -> None:
    path = raw / "ledgers" / "signalmap_events.csv"
    path.write_text(path.read_text().replace("SYNTHETIC: not relevant", ""))
    with pytest.raises(DataError, match="reason to leave it out"):
        events.build(raw)


# --- chart markers -----------------------------------------------------------------------------
def test_markers_come_from_the_events_table(raw: Path) -> None:
    table = _built(raw).table
    marked = charts.key_events(table)
    assert marked.to_dict("list") == {
        "date": [pd.Timestamp("2010-01-15")],
        "label": ["Synthetic marker"],
    }
    assert charts.key_events(table, start_year=2011).empty
    assert charts.events_note(marked) == "Events: (1) 2010-01-15 Synthetic marker"


# --- rial levels -------------------------------------------------------------------------------
#: SYNTHETIC rates: bonbast's open-market dollar crosses 100,000 on 2020-02-04; tgju (another
#: source) and the euro cross earlier and must not count.
SYNTHETIC_FX = pd.DataFrame(
    {
        "date": pd.to_datetime(
            ["2020-02-02", "2020-02-03", "2020-02-04", "2020-02-05", "2020-02-01", "2020-02-01"]
        ),
        "rate_type": ["open_market"] * 6,
        "currency": ["USD", "USD", "USD", "USD", "USD", "EUR"],
        "irr_per_unit": [95_000.0, 99_999.0, 100_000.0, 98_000.0, 120_000.0, 130_000.0],
        "source_id": ["bonbast"] * 4 + ["tgju", "bonbast"],
    }
)


def _level_events(rows: list[tuple[str, str, str, int | None]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["event_id", "date", "date_precision", "level"])
    return frame.assign(rial_per_usd_level=frame["level"].astype("Int64")).drop(columns="level")


def test_first_day_at_or_above_reads_only_bonbast_open_market_usd() -> None:
    assert first_day_at_or_above(SYNTHETIC_FX, 100_000) == pd.Timestamp("2020-02-04")
    assert first_day_at_or_above(SYNTHETIC_FX, 200_000) is None


def test_rial_level_checker_flags_a_wrong_date() -> None:
    levels = _level_events(
        [
            ("right", "2020-02-04", "day", 100_000),
            ("wrong", "2020-02-11", "day", 100_000),  # a week late, like the 1,000,000 row was
            ("month", "2020-02", "month", 99_000),
            ("never", "2020-03-01", "day", 500_000),
            ("no level", "2020-01-01", "day", None),
        ]
    )
    checked = check_rial_levels(levels, SYNTHETIC_FX)
    assert checked["event_id"].tolist() == ["right", "wrong", "month", "never"]
    assert checked["matches"].tolist() == [True, False, True, False]
    assert checked["first_day"].iloc[1] == pd.Timestamp("2020-02-04")
    assert pd.isna(checked["first_day"].iloc[3])


# --- the real curated ledger -------------------------------------------------------------------
@pytest.fixture
def real_table(tmp_path: Path) -> pd.DataFrame:
    """The repository's ledger and choices (without SignalMap's file), validated."""
    result = _built(_raw(tmp_path, REPO_LEDGERS, signalmap=None))
    assert result.quarantine.empty, result.quarantine.to_string()
    return result.table


def test_real_ledger_is_clean_with_one_row_per_event(real_table: pd.DataFrame) -> None:
    assert len(real_table) >= 79 and real_table["event_id"].is_unique
    research = real_table["research_id"].dropna()
    assert research.is_unique  # one ledger row per research event (merged, not repeated)
    assert len(research[research.str.startswith("s")]) == 33


def test_real_markers_are_ledger_rows(real_table: pd.DataFrame) -> None:
    marked = charts.key_events(real_table)
    assert marked["label"].tolist() == [
        "Hamas backs Syrian uprising",
        "JCPOA",
        "JCPOA implemented",
        "US leaves JCPOA",
        "US oil sanctions",
    ]


def test_real_rial_level_events_are_identified_by_their_column(real_table: pd.DataFrame) -> None:
    levels = real_table.dropna(subset=["rial_per_usd_level"])
    assert sorted(levels["rial_per_usd_level"]) == [100_000, 500_000, 1_000_000]


@pytest.mark.snapshot
def test_real_rial_levels_match_bonbast(real_snapshot: Path, real_table: pd.DataFrame) -> None:
    rates = fx_rates.build(real_snapshot).table
    checked = check_rial_levels(real_table, rates)
    assert len(checked) == 3
    assert checked["matches"].all(), checked.to_string()


@pytest.mark.snapshot
def test_real_signalmap_events_are_all_reviewed(real_snapshot: Path, tmp_path: Path) -> None:
    raw = _raw(tmp_path, REPO_LEDGERS, signalmap=real_snapshot / events.SIGNALMAP)
    result = _built(raw)
    assert result.quarantine.empty, result.quarantine.to_string()
    kept = result.table[result.table["source_id"] == "signalmap"]
    assert kept["event_id"].tolist() == ["signalmap:ir-007", "signalmap:ir-019"]
    assert result.excluded == {events.SAME_AS_LEDGER: 3, events.LEFT_OUT: 14}
