"""Export an executed notebook to report HTML and PDF in this process (no command-line start).

One :class:`Exporter` per process holds the nbconvert exporters (templates compiled once):
about 0.2 s for the HTML and 0.8 s for the PDF of a small report. The PDF is printed from the
very HTML that is written, so the two always agree (except that each chart's "Download the
data" link, a file in ``data/`` beside the report, is named rather than linked in the PDF).
"""

from __future__ import annotations

import base64
import functools
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis import atomic

if TYPE_CHECKING:
    from nbformat import NotebookNode

    from analysis.render.pdf_exporter import ReportHTMLExporter


#: Folder beside the report HTML that holds the data behind each chart.
DATA_DIR = "data"

_CSV_LINK = re.compile(
    r'download="([^"/\\]+\.csv)" href="data:text/csv;charset=utf-8;base64,([^"]+)"'
)


def publish_data(html: str, out_dir: Path) -> tuple[str, list[Path]]:
    """Write each chart's embedded CSV (``download="x.csv" href="data:text/csv..."``) to
    ``out_dir/data/x.csv`` and point the link at that file; returns the HTML and the files."""
    written: list[Path] = []

    def save(match: re.Match[str]) -> str:
        name = match.group(1)
        path = out_dir / DATA_DIR / name
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic.write_bytes(path, base64.b64decode(match.group(2)))
        written.append(path)
        return f'download="{name}" href="{DATA_DIR}/{name}"'

    return _CSV_LINK.sub(save, html), written


_DATA_LINK = re.compile(r'<a class="data-link" download="([^"]+)" href="[^"]+">[^<]*</a>')


def pdf_data_notes(html: str) -> str:
    """The HTML the PDF is printed from: each "Download the data" link becomes the file's name
    beside the report (a link in a PDF would point at the build's staging folder)."""
    return _DATA_LINK.sub(rf"Data: <code>{DATA_DIR}/\1</code>, beside this report", html)


@dataclass(frozen=True)
class ExportResult:
    """Files written by :meth:`Exporter.export` and how long each took."""

    title: str
    html: Path
    pdf: Path | None
    html_seconds: float
    pdf_seconds: float


class Exporter:
    """Report HTML (code hidden) and PDF; ``show_code=True`` for the failed-run view."""

    def __init__(self) -> None:
        self._html: dict[bool, ReportHTMLExporter] = {}

    def _exporter(self, show_code: bool) -> ReportHTMLExporter:
        if show_code not in self._html:
            from analysis.render.pdf_exporter import ReportHTMLExporter

            exporter = (
                ReportHTMLExporter(
                    exclude_input=False,
                    exclude_input_prompt=False,
                    exclude_output_prompt=False,
                    hide_stderr=False,
                )
                if show_code
                else ReportHTMLExporter()
            )
            self._html[show_code] = exporter
        return self._html[show_code]

    def html(self, nb: NotebookNode, *, name: str = "Report", show_code: bool = False) -> str:
        """The report HTML of an executed notebook (title: metadata, first heading, ``name``)."""
        resources: dict[str, Any] = {"metadata": {"name": name}}
        body, _ = self._exporter(show_code).from_notebook_node(nb, resources)
        return body

    def pdf(self, html: str, base_url: Path | None = None) -> bytes:
        """The PDF of report HTML (WeasyPrint)."""
        from analysis.render.pdf_exporter import html_to_pdf

        return html_to_pdf(html, base_url=base_url)

    def export(
        self,
        nb_path: Path,
        out_dir: Path,
        stem: str,
        *,
        pdf: bool = True,
        show_code: bool = False,
    ) -> ExportResult:
        """Write ``out_dir/<stem>.html`` (and ``.pdf``) from the executed notebook ``nb_path``."""
        import nbformat

        from analysis.render.notebook import notebook_title

        nb = nbformat.read(nb_path, as_version=4)
        started = time.perf_counter()
        html = self.html(nb, name=stem, show_code=show_code)
        html, _ = publish_data(html, out_dir)
        html_path = out_dir / f"{stem}.html"
        atomic.write_text(html_path, html)
        html_seconds = time.perf_counter() - started
        pdf_path: Path | None = None
        started = time.perf_counter()
        if pdf:
            pdf_path = out_dir / f"{stem}.pdf"
            atomic.write_bytes(pdf_path, self.pdf(pdf_data_notes(html), base_url=nb_path.parent))
        return ExportResult(
            notebook_title(nb, stem),
            html_path,
            pdf_path,
            round(html_seconds, 3),
            round(time.perf_counter() - started, 3) if pdf else 0.0,
        )


@functools.cache
def exporter() -> Exporter:
    """The process's one :class:`Exporter` (workers reuse it across runs)."""
    return Exporter()
