"""The evidence model of the claims (analysis.report.evidence) on SYNTHETIC claims: what a status
is evidence of, the minimum source grade, and placement by the years the money is for."""

from __future__ import annotations

import pandas as pd
import pytest
import synthetic_processed as syn

from analysis.report import claims as cv
from analysis.report import evidence
from analysis.schemas.claims import SOURCE_GRADES, STATUSES

BREAKS = (2012, 2017)


def _claim(claim_id: str, **values: object) -> dict[str, object]:
    base: dict[str, object] = {
        "claim_id": claim_id,
        "status": "paid",
        "claimant_type": "other",
        "source_grade": "official_on_record",
        "value_year": pd.NA,
        "period_start": pd.NA,
        "period_end": pd.NA,
        "dated_by": "claim_date",
    }
    return {**base, **values}


def _frame(*rows: dict[str, object]) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


def test_every_status_is_evidence_of_one_thing() -> None:
    assert set(evidence.EVIDENCE) == set(STATUSES)
    assert [s for s, e in evidence.EVIDENCE.items() if e == evidence.MONEY_PAID] == ["paid"]
    assert {s for s, e in evidence.EVIDENCE.items() if e == evidence.PROMISED} == {
        "pledged",
        "offered",
        "requested",
    }
    assert set(evidence.FLOW_STATUSES) == {"stopped", "reduced", "denied"}


def test_money_paid_is_status_paid_only() -> None:
    frame = _frame(*(_claim(f"X{i}", status=s) for i, s in enumerate(STATUSES)))
    assert evidence.money_paid(frame)["status"].tolist() == ["paid"]


def test_restrict_keeps_the_grade_and_better_and_the_statuses() -> None:
    frame = _frame(*(_claim(f"G{i}", source_grade=g) for i, g in enumerate(SOURCE_GRADES)))
    got = evidence.restrict(frame, min_grade="unnamed_officials")
    assert got["source_grade"].tolist() == list(SOURCE_GRADES[:3])
    assert len(evidence.restrict(frame)) == len(SOURCE_GRADES)  # the weakest grade: all
    mixed = frame.assign(status=["paid", "offered", "stopped", "paid", "denied", "paid"])
    got = evidence.restrict(mixed, statuses=["paid", "stopped"])
    assert got["claim_id"].tolist() == ["G0", "G2", "G3", "G5"]
    assert (
        got["evidence"].tolist() == [evidence.MONEY_PAID, evidence.FLOW] + [evidence.MONEY_PAID] * 2
    )
    with pytest.raises(ValueError, match="unknown source grade"):
        evidence.restrict(frame, min_grade="gossip")
    with pytest.raises(ValueError, match="rumoured"):
        evidence.restrict(frame, statuses=["rumoured"])
    with pytest.raises(ValueError, match="tabloid"):
        evidence.grade_rank(pd.Series(["tabloid"]))


def test_placement_by_the_years_the_money_is_for() -> None:
    frame = _frame(
        # said in 2022 about 2006: placed in 2006, not the year of the article
        _claim("A", value_year=2006, period_start=2006, period_end=2006, dated_by="period_start"),
        # covers 2006–2012: six years before the break, one in it -> before
        _claim("B", value_year=2006, period_start=2006, period_end=2012, dated_by="period_start"),
        # covers 2009–2016: five rift years of eight -> the rift
        _claim("C", value_year=2009, period_start=2009, period_end=2016, dated_by="period_start"),
        # "until 2012": the years before it
        _claim("D", value_year=2012, period_end=2012, dated_by="period_end"),
        # a stop is placed when it happened (the end of its period)
        _claim("E", status="stopped", value_year=2012, period_end=2012, dated_by="period_end"),
        _claim(
            "F",
            status="denied",
            value_year=2009,
            period_start=2009,
            period_end=2016,
            dated_by="period_start",
        ),  # fmt: skip
        # no year: counted, never placed
        _claim("G", dated_by="undated"),
        # only the claim's own date
        _claim("H", value_year=2019, dated_by="claim_date"),
    )
    got = evidence.place(frame, BREAKS).set_index("claim_id")
    assert got["placed_year"].astype(object).where(got["placed_year"].notna(), None).to_dict() == {
        "A": 2006,
        "B": 2006,
        "C": 2012,
        "D": 2011,
        "E": 2012,
        "F": 2016,
        "G": None,
        "H": 2019,
    }
    period = got["period"].astype(object).where(got["period"].notna(), None)
    assert period.to_dict() == {
        "A": "before 2012",
        "B": "before 2012",
        "C": "2012–2016",
        "D": "before 2012",
        "E": "2012–2016",
        "F": "2012–2016",
        "G": None,
        "H": "2017 onwards",
    }
    assert got.loc["D", "placed_by"] == "year before its end"
    assert got.loc["E", "placed_by"] == "when the flow changed"
    assert got.loc["H", "placed_by"] == "claim year"
    assert evidence.undated(got.reset_index())["claim_id"].tolist() == ["G"]


def test_tally_counts_every_period_and_the_undated() -> None:
    frame = _frame(
        _claim("A", value_year=2006, dated_by="claim_date"),
        _claim("B", status="stopped", value_year=2013, dated_by="claim_date"),
        _claim("C", status="offered", value_year=2019, dated_by="claim_date"),
        _claim("D", dated_by="undated"),
    )
    got = evidence.tally(evidence.place(frame, BREAKS), BREAKS)
    assert list(got.index) == ["before 2012", "2012–2016", "2017 onwards", "undated"]
    assert got.loc["before 2012", evidence.MONEY_PAID] == 1
    assert got.loc["2012–2016", evidence.FLOW] == 1
    assert got.loc["2017 onwards", evidence.PROMISED] == 1
    assert got.loc["undated", "total"] == 1
    assert got["total"].sum() == len(frame)


def test_synthetic_claims_placed_like_the_reports_place_them() -> None:
    selected = cv.select(syn.claims(), recipient_scope="hamas_only")
    placed = evidence.place(selected, BREAKS).set_index("claim_id")
    assert str(placed.loc["C054", "period"]) == "2017 onwards"  # money for 2017: the return year
    assert str(placed.loc["S012", "period"]) == "2012–2016"  # a cut, placed when it happened
    ranges = cv.ranges(evidence.money_paid(placed.reset_index()))
    assert set(ranges["status"]) == {"paid"} and "source_grade" in ranges
    assert evidence.grade_text(placed.loc[["C054", "S001"]]) == (
        "1 official, on the record, 1 think tank or academic"
    )


def test_a_denial_is_evidence_the_money_never_came_only_from_the_recipient() -> None:
    frame = _frame(
        _claim("R", status="denied", claimant_type="hamas"),  # "we have not received anything"
        _claim("P", status="denied", claimant_type="iran_government"),  # denies a request
        _claim("M", status="denied", claimant_type="media_unnamed_sources"),
        _claim("S", status="stopped", claimant_type="iran_government"),
    )
    assert evidence.kinds(frame).tolist() == [
        evidence.FLOW,
        evidence.DENIED_REPORTS,
        evidence.DENIED_REPORTS,
        evidence.FLOW,
    ]
    assert evidence.flow(frame)["claim_id"].tolist() == ["R", "S"]
    table = evidence.tally(evidence.place(frame))
    assert table[evidence.FLOW].sum() == 2 and table[evidence.DENIED_REPORTS].sum() == 2


def test_the_grade_ladder_is_told_best_first_from_the_vocabulary_with_its_reason() -> None:
    text = evidence.ladder_text()
    names = [cv.GRADE_NAMES[g] for g in SOURCE_GRADES]
    positions = [text.index(n) for n in names]
    assert positions == sorted(positions) and text.startswith("Source grades, best first")
    # unnamed officials rank above think tanks: the reason is said
    assert text.index("unnamed officials") < text.index("think tank or academic")
    assert "close they are to the money" in text
