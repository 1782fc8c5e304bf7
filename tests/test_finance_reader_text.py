"""What a reader reads in the iran_finances and iran_inflation reports (executed on SYNTHETIC
tables): no pipeline words, no internal event ids, no indicator codes and no provenance columns
in the prose and tables before the sources appendix (codes belong in chart captions, which are
drawn in the charts, and in the appendix)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import synthetic_processed as syn
from test_notebooks import NOTEBOOKS, PIPELINE_WORDS, _execute, _outputs, _reader_text

#: An internal event id ("E024", "S25") or an indicator code ("FP.CPI.TOTL.ZG", "WEO.LUR").
EVENT_ID = re.compile(r"\b[ES]\d{2,3}\b")
CODE = re.compile(r"\b[A-Z]{2,}(?:\.[A-Z0-9_]+){1,}\b")
PROVENANCE_COLUMNS = ("source_file", "source_row", "source_id")


@pytest.fixture(scope="module")
def synthetic_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("home")
    syn.write_tables(home)
    return home


def reader_text(nb: dict[str, Any]) -> str:
    """The markdown cells and the HTML outputs, up to the sources appendix."""
    markdown = " ".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    return _reader_text(markdown + " " + _outputs(nb)[0])


def defects(text: str) -> list[str]:
    """The pipeline words, event ids, indicator codes and provenance columns in ``text``."""
    lower = text.lower()
    return (
        [w for w in PIPELINE_WORDS if w in lower]
        + ["founding"] * ("founding" in lower)
        + EVENT_ID.findall(text)
        + CODE.findall(text)
        + [c for c in PROVENANCE_COLUMNS if c in text]
    )


def test_defects_finds_what_a_reader_must_not_read() -> None:
    bad = "The founding article's parser read FP.CPI.TOTL.ZG (E024) from source_file, snapshot."
    assert set(defects(bad)) >= {"founding", "parser", "FP.CPI.TOTL.ZG", "E024", "source_file",
                                 "snapshot"}  # fmt: skip
    assert defects("In 2019 consumer prices rose 39.9% (World Bank).") == []


@pytest.mark.parametrize("name", ["iran_finances", "iran_inflation"])
def test_reader_text_has_no_pipeline_words_ids_or_codes(
    synthetic_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    nb = _execute(synthetic_home, name, {}, tmp_path, monkeypatch)
    text = reader_text(nb)
    assert len(text) > 500  # the report ran and wrote prose
    assert defects(text) == []


def test_notebook_markdown_is_clean_before_running() -> None:
    import json

    for name in ("iran_finances", "iran_inflation"):
        nb = json.loads((NOTEBOOKS / f"{name}.ipynb").read_text(encoding="utf-8"))
        prose = " ".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
        assert defects(prose) == [], name
