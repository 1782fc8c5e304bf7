"""Issue 21, round two, item 9 and a defect of `refresh`: bounded exports and `refresh --yes`.

Hostile notebooks are SYNTHETIC: one prints megabytes, one shows a table with a 1 MB quote.
Each cell's output is cut to a limit with a note in the report at that spot, and the export
runs in a child process killed at a time bound, which fails the run and keeps the last good
report. Limits are set small here; nothing is timed: the tests assert on outcomes.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import time
from pathlib import Path

import nbformat
import pandas as pd
import psutil
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from test_refresh import REPORTS, project, snap  # noqa: F401 - fixtures

from analysis import cli, config
from analysis.errors import ExitCode
from analysis.render.export import (
    ExportTimeout,
    Truncation,
    bound_outputs,
    bounded,
    exporter,
)
from analysis.report.html import html_table

NOTE = re.compile(r"output truncated: ([\d,]+) of ([\d,]+) characters shown")
LINE = "synthetic hostile output, printed over and over by a loop\n"  # 58 characters
MANY = LINE * 50_000  # 2.9 MB


@pytest.fixture(autouse=True)
def _restore_export_bounds(monkeypatch: pytest.MonkeyPatch) -> None:
    """``build --export-timeout`` and ``--max-output-chars`` set the environment of the process
    (for its workers); here that process is pytest's: undo it after each test."""
    monkeypatch.setenv(config.EXPORT_TIMEOUT_ENV, repr(config.EXPORT_TIMEOUT))
    monkeypatch.setenv(config.MAX_OUTPUT_CHARS_ENV, str(config.MAX_OUTPUT_CHARS))


def _note(html: str) -> tuple[int, int, int]:
    """The truncation note's shown and total characters, and where it is in ``html``."""
    found = NOTE.search(html)
    assert found is not None, "no truncation note"
    shown, total = (int(n.replace(",", "")) for n in found.groups())
    return shown, total, found.start()


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(path.read_bytes())).pages)


def _executed(folder: Path, *outputs: object, name: str = "hostile") -> Path:
    """An executed synthetic notebook whose one code cell has ``outputs``."""
    nb = new_notebook(
        cells=[
            new_markdown_cell("# Synthetic hostile report"),
            new_code_cell("print('synthetic')", outputs=list(outputs)),
            new_markdown_cell("Text after the hostile cell."),
        ]
    )
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


# -- the size of each cell's output --------------------------------------------------------------


def test_a_print_of_megabytes_is_cut_with_a_note_at_that_spot(tmp_path: Path) -> None:
    nb_path = _executed(tmp_path, new_output("stream", name="stdout", text=MANY))
    result = exporter().export(nb_path, tmp_path, "hostile", max_output_chars=2_000)

    assert result.truncated == (Truncation(1, 2_000, len(MANY)),)
    html = result.html.read_text(encoding="utf-8")
    shown, total, at = _note(html)
    assert (shown, total) == (2_000, len(MANY))
    assert html.count("synthetic hostile output") == 2_000 // len(LINE) + 1  # cut, not dropped
    assert html.index("synthetic hostile output") < at < html.index("Text after the hostile")
    assert result.pdf is not None
    pdf = " ".join(_pdf_text(result.pdf).split())
    assert f"output truncated: 2,000 of {len(MANY):,} characters shown" in pdf
    assert "Text after the hostile cell" in pdf


def test_a_cells_outputs_share_one_budget_and_the_note_follows_the_cut(tmp_path: Path) -> None:
    nb = new_notebook(
        cells=[
            new_code_cell(
                "x",
                outputs=[
                    new_output("stream", name="stdout", text="a" * 600),
                    new_output("display_data", data={"image/png": "iVBORw0KGgo="}),
                    new_output("stream", name="stdout", text="b" * 600),
                    new_output("execute_result", data={"text/plain": "c" * 600}),
                ],
            ),
            new_code_cell("y", outputs=[new_output("stream", name="stdout", text="d" * 900)]),
        ]
    )
    assert bound_outputs(nb, 1_000) == [Truncation(0, 1_000, 1_800)]
    first, second = nb.cells
    kinds = [o.get("text", "")[:1] or next(iter(o.get("data", {})), "") for o in first.outputs]
    assert kinds == ["a", "image/png", "b", "text/html"]  # the note right after the cut
    assert first.outputs[2].text == "b" * 400
    assert "1,000 of 1,800" in first.outputs[3].data["text/plain"]
    assert second.outputs[0].text == "d" * 900  # each cell has its own budget


def test_an_output_that_fills_the_budget_exactly_still_notes_what_follows() -> None:
    nb = new_notebook(
        cells=[
            new_code_cell(
                "x",
                outputs=[
                    new_output("stream", name="stdout", text="a" * 100),
                    new_output("stream", name="stderr", text="b" * 50),
                ],
            )
        ]
    )
    assert bound_outputs(nb, 100) == [Truncation(0, 100, 150)]
    assert [o.output_type for o in nb.cells[0].outputs] == ["stream", "display_data"]


def _quote_table(quote: str) -> str:
    frame = pd.DataFrame(
        {
            "who": ["Synthetic speaker A", "Synthetic speaker B"],
            "quote": ["A short synthetic quote.", quote],
        }
    )
    return html_table(frame, detail="quote")


def test_a_1_mb_quote_is_cut_with_the_note_never_silently(tmp_path: Path) -> None:
    quote = "synthetic quote word " * 50_000 + "SYNTHETIC-QUOTE-END"  # 1.05 MB
    table = _quote_table(quote)
    nb_path = _executed(
        tmp_path, new_output("display_data", data={"text/html": table, "text/plain": "table"})
    )
    result = exporter().export(nb_path, tmp_path, "quote", max_output_chars=5_000)

    html = result.html.read_text(encoding="utf-8")
    shown, total, _ = _note(html)
    assert shown == 5_000 and total > len(quote)
    assert "A short synthetic quote." in html and "synthetic quote word" in html
    assert "SYNTHETIC-QUOTE-END" not in html
    assert html.count("<table") == html.count("</table>")  # the cut table is still well formed
    assert result.pdf is not None
    pdf = " ".join(_pdf_text(result.pdf).split())
    assert "A short synthetic quote." in pdf
    assert f"output truncated: 5,000 of {total:,} characters shown" in pdf


def test_a_quote_within_the_limit_is_shown_in_full_without_a_note(tmp_path: Path) -> None:
    quote = "synthetic quote word " * 150 + "SYNTHETIC-QUOTE-END"  # 3,169 characters
    table = _quote_table(quote)
    nb_path = _executed(tmp_path, new_output("display_data", data={"text/html": table}))
    result = exporter().export(nb_path, tmp_path, "quote", max_output_chars=5_000)

    assert result.truncated == ()
    html = result.html.read_text(encoding="utf-8")
    # the table whole (its CSV link below it is rewritten to the file the exporter writes)
    assert table.split("</table>")[0] in html and not NOTE.search(html)
    assert result.pdf is not None
    assert "SYNTHETIC-QUOTE-END" in _pdf_text(result.pdf)


# -- the export's wall time ------------------------------------------------------------------------


def _children() -> set[int]:
    """The pids of this process's children now (long-lived helpers an earlier test may have
    started in this process: the warm kernel template, multiprocessing's resource tracker)."""
    return {p.pid for p in psutil.Process().children(recursive=True)}


def _no_children_left(before: set[int]) -> list[psutil.Process]:
    """This process's children not in ``before`` still alive once they have had a few seconds
    to go."""
    children = [p for p in psutil.Process().children(recursive=True) if p.pid not in before]
    _, alive = psutil.wait_procs(children, timeout=10)
    return alive


def test_bounded_work_returns_its_result_or_raises_its_error() -> None:
    assert bounded(lambda: ("synthetic", 42), 60) == ("synthetic", 42)
    with pytest.raises(ZeroDivisionError):
        bounded(lambda: 1 / 0, 60)


def test_work_past_the_bound_is_stopped_and_its_process_is_gone() -> None:
    before = _children()
    with pytest.raises(ExportTimeout, match=r"took longer than 0\.5 s"):
        bounded(lambda: time.sleep(600), 0.5)
    assert _no_children_left(before) == []


def test_a_dead_export_process_is_an_error_not_a_hang() -> None:
    with pytest.raises(RuntimeError, match="process died"):
        bounded(lambda: os.kill(os.getpid(), 9), 60)


def _hostile_notebook(folder: Path) -> None:
    """A synthetic notebook that prints ``n`` characters (its parameter)."""
    nb = new_notebook(
        cells=[
            new_markdown_cell("# Synthetic hostile report"),
            new_code_cell(
                "n: int = 1000  # characters printed (synthetic)",
                metadata={"tags": ["parameters"]},
            ),
            new_code_cell(f"print(({LINE!r} * (n // {len(LINE)} + 1))[:n])"),
        ],
        metadata={
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
    )
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / "hostile.ipynb")


def _reports_toml(home: Path, n: int) -> None:
    (home / "reports.toml").write_text(
        '[[report]]\nnotebook = "hostile.ipynb"\ntables = []\nname = "r"\n'
        f"parameters = {{ n = {n} }}\n"
    )


def _files(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file() and p.name != config.BUILD_RECORD_FILE
    }


@pytest.mark.slow
def test_a_build_cuts_a_hostile_print_and_says_so_in_the_report(home: Path) -> None:
    _hostile_notebook(home / "notebooks")
    _reports_toml(home, 2_000_000)
    with pytest.raises(SystemExit) as stopped:
        cli.main(["build", "-q", "-j", "1", "--max-output-chars", "3000"])
    assert stopped.value.code == ExitCode.OK
    run = home / "reports" / "r"
    html = (run / "r.html").read_text(encoding="utf-8")
    assert "output truncated: 3,000 of 2,000,001 characters shown" in html  # print adds "\n"
    assert "output truncated: 3,000 of 2,000,001" in " ".join(_pdf_text(run / "r.pdf").split())


@pytest.mark.slow
def test_an_export_past_its_bound_fails_the_run_and_keeps_the_last_good_report(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from analysis.render import pdf_exporter

    _hostile_notebook(home / "notebooks")
    _reports_toml(home, 100)
    with pytest.raises(SystemExit) as stopped:
        cli.main(["build", "-q", "-j", "1"])
    assert stopped.value.code == ExitCode.OK
    good = _files(home / "reports" / "r")

    real = pdf_exporter.html_to_pdf

    def stuck(html: str, *args: object, **kwargs: object) -> bytes:
        if html.count("synthetic hostile output") > 10:
            time.sleep(600)  # WeasyPrint lost in a huge report (the probe saw 445 s)
        return real(html, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pdf_exporter, "html_to_pdf", stuck)  # the pool forks from here
    _reports_toml(home, 5_000)
    before = _children()
    with pytest.raises(SystemExit) as stopped:
        cli.main(["build", "-q", "-j", "1", "--export-timeout", "2"])
    out = capsys.readouterr().out
    assert stopped.value.code == ExitCode.PARTIAL
    assert "export failed" in out and "took longer than 2 s" in out
    assert _files(home / "reports" / "r") == good  # the last good report, untouched
    error = (home / "reports" / "_failed" / "r" / config.ERROR_FILE).read_text()
    assert "took longer than 2 s" in error
    assert _no_children_left(before) == []


def test_a_bad_bound_in_the_environment_is_a_usage_error(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(config.EXPORT_TIMEOUT_ENV, "soon")
    with pytest.raises(SystemExit) as stopped:
        cli.main(["build", "--dry-run"])
    assert stopped.value.code == ExitCode.USAGE
    assert "ANALYSIS_EXPORT_TIMEOUT" in capsys.readouterr().err


# -- refresh passes --yes to the build -------------------------------------------------------------


@pytest.mark.slow
def test_refresh_builds_a_grid_above_the_limit_with_yes(
    project: Path,  # noqa: F811 - the fixture
    snap: Path,  # noqa: F811 - the fixture
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(config, "MAX_RUNS_WITHOUT_YES", 1)
    (project / "reports.toml").write_text(REPORTS + REPORTS.replace("ok-fake", "ok-fake-2"))
    base = ["refresh", "--snapshot", str(snap), "-j", "1"]

    with pytest.raises(SystemExit) as stopped:
        cli.main(base)
    assert stopped.value.code == ExitCode.USAGE
    assert "--yes" in capsys.readouterr().err
    assert not (project / "reports" / "ok-fake").exists()

    with pytest.raises(SystemExit) as stopped:
        cli.main([*base, "--yes"])
    assert stopped.value.code == ExitCode.OK
    assert (project / "reports" / "ok-fake" / "ok-fake.pdf").exists()
    assert (project / "reports" / "ok-fake-2" / "ok-fake-2.pdf").exists()
