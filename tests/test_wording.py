"""The reports' settings in words: every parameter of every run in reports.toml reads as words
(no parameter name, no code, no internal id), and each choice reads as a reader would say it."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis import config
from analysis.render.report_config import load_runs
from analysis.report.wording import parameter_phrases, parameters_sentence

RUNS = load_runs(config.REPO_ROOT / "reports.toml")
EVENTS = pd.DataFrame(
    {"event_id": ["E009", "E021"], "event_date": pd.to_datetime(["2012-02-24", "2017-08-28"])}
)


@pytest.mark.parametrize("run", RUNS, ids=lambda r: r.name)
def test_every_run_reads_in_words(run: object) -> None:
    words = parameters_sentence(run.parameters, EVENTS)  # type: ignore[attr-defined]
    assert not re.search(r"\w_\w|\bE\d{3}\b|[\[\]{}=]", words), words
    assert re.search(r"years \d{4}–\d{4}", words)


@pytest.mark.parametrize(
    ("parameters", "words"),
    [
        ({"fx_rate_type": "open_market"}, "rial amounts in dollars at the open-market rate"),
        ({"fx_rate_type": "nima"}, "rial amounts in dollars at the NIMA rate"),
        ({"recipient_scope": "hamas_only"}, "statements about Hamas only"),
        ({"min_grade": "think_tank_academic"}, "graded think tank or academic or better"),
        ({"min_grade": "blog_listicle_aggregator"}, "sources of every grade"),
        ({"statuses": ["paid", "stopped"]}, "statements of money paid or stopped only"),
        (
            {"claimant_types": ["israeli_government", "hamas"]},
            "statements by Israeli government, Hamas only",
        ),  # fmt: skip
        ({"include_vague": False}, "vague wordings left out"),
        ({"milex_basis": "official"}, "military spending converted at the official rate"),
        (
            {"break_event": "E009", "return_event": "E021"},
            "the rift dated February 2012 to August 2017",
        ),  # fmt: skip
        ({"constant_dollars_base_year": 2024}, "constant dollars at 2024 prices"),
    ],
)
def test_each_choice_in_words(parameters: dict[str, object], words: str) -> None:
    assert parameter_phrases(parameters, EVENTS) == [words]


def test_the_rift_without_the_events_table_names_no_id() -> None:
    words = parameters_sentence({"break_event": "E009", "return_event": "E021"})
    assert "E009" not in words and "rift" in words
    assert parameters_sentence({}) == "no settings"
