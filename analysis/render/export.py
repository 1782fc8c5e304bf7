"""Export an executed notebook to report HTML and PDF (no command-line start).

One :class:`Exporter` per process holds the nbconvert exporters (templates compiled once):
about 0.2 s for the HTML and 0.8 s for the PDF of a small report. The PDF is printed from the
very HTML that is written, so the two always agree (except that each chart's "Download the
data" link, a file in ``data/`` beside the report, is named rather than linked in the PDF, and
each chart's text is written as text rather than glyph paths, which WeasyPrint draws several
times faster: :func:`print_charts`).

Both are bounded, so a hostile notebook cannot hold a build for long. Each cell's output is cut
to :func:`analysis.config.max_output_chars` characters (:func:`bound_outputs`), with a note in
the report at that spot: "output truncated: N of M characters shown". The export runs in a
forked child process (:func:`bounded`, which inherits the compiled templates and the PDF's
fonts, :func:`analysis.render.pdf_exporter.print_setup`) that is killed
after :func:`analysis.config.export_timeout` seconds: the run then fails with
:class:`ExportTimeout` and the last good report stays.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import os
import pickle
import re
import select
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from analysis import atomic, config

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


def print_breaks(html: str) -> str:
    """The HTML the PDF is printed from: each ``<wbr>`` (a place a web address in a link may
    break, :func:`analysis.report.html.link`) as a zero-width space, which WeasyPrint breaks at
    (it ignores ``<wbr>`` and cuts such an address mid-word in a narrow column)."""
    return html.replace("<wbr>", "\u200b")


#: A chart in the report HTML: its ``<img>`` up to the SVG data URI (the template's data_svg).
_CHART_SVG = re.compile(r'<img class="chart" src="data:image/svg\+xml;base64,([^"]+)"')

#: One line of text in a matplotlib SVG written with ``svg.fonttype: path``: the line as a
#: comment (XML-escaped), then a group placed at its left baseline (``translate``, ``rotate``,
#: ``scale`` = font size / 100) that holds new glyph definitions and one ``<use>`` per glyph.
_GLYPH_LINE = re.compile(
    r"<!-- (?P<text>[^\n]*?) -->\s*"
    r'<g style="(?P<style>[^"]*)" transform="translate\((?P<x>[-\d.e]+) (?P<y>[-\d.e]+)\)'
    r"(?: rotate\((?P<angle>[-\d.e]+)\))? scale\((?P<scale>[\d.e]+) -(?P=scale)\)\">"
    r"(?P<defs>\s*<defs>.*?</defs>)?(?P<uses>(?:\s*<use [^>]*/>)+)\s*</g>",
    re.S,
)
#: One glyph of such a line in DejaVu Sans (or Bold), placed along the baseline.
_USE = re.compile(
    r'<use xlink:href="#(DejaVuSans(?:-Bold)?)-[0-9a-f]+"'
    r'(?: transform="translate\([-\d.e]+ 0\)")?/>'
)
#: matplotlib's glyph units per font size (``textpath.TextToPath.FONT_SCALE``).
_FONT_SCALE = 100


def _line_as_text(match: re.Match[str]) -> str:
    """One glyph-path line as ``<text>`` in DejaVu Sans (its glyph definitions stay, for other
    uses), its spaces kept as matplotlib placed them (``xml:space="preserve"``: a label's
    leading spaces keep it clear of its line); unchanged unless every glyph is a plain DejaVu
    Sans (or Bold) one in a row."""
    glyphs = re.findall(r"<use [^>]*/>", match.group("uses"))
    found = [_USE.fullmatch(g) for g in glyphs]
    fonts = {m.group(1) for m in found if m}
    text = match.group("text")
    if not all(found) or len(fonts) != 1 or "- -" in text:
        return match.group(0)  # mathtext, another font or an escaped "--": keep the paths
    weight = "; font-weight: bold" if fonts == {"DejaVuSans-Bold"} else ""
    size = float(match.group("scale")) * _FONT_SCALE
    rotate = f" rotate({match.group('angle')})" if match.group("angle") else ""
    style = match.group("style")
    return (
        f'{match.group("defs") or ""}<text xml:space="preserve" '
        f'transform="translate({match.group("x")} {match.group("y")}){rotate}" '
        f'style="font-size: {size:g}px; '
        f"font-family: 'DejaVu Sans'{weight}; {style}\">{text}</text>"
    )


def glyphs_as_text(svg: str) -> str:
    """A matplotlib SVG whose text is glyph paths (``svg.fonttype: path``, what the report HTML
    shows, the same on every screen) with each plain line of text written as ``<text>`` in
    DejaVu Sans instead: the PDF engine sets that from the system's DejaVu Sans, as it does the
    report's own text, several times faster than it draws the glyphs' paths."""
    return _GLYPH_LINE.sub(_line_as_text, svg)


def print_charts(html: str) -> str:
    """The HTML the PDF is printed from: each chart's SVG with its text as text
    (:func:`glyphs_as_text`); alt text and data note stay. The report HTML is unchanged."""

    def swap(match: re.Match[str]) -> str:
        try:
            svg = base64.b64decode(match.group(1), validate=True).decode("utf-8")
        except ValueError:  # not base64 or not UTF-8 (binascii.Error is a ValueError): as is
            return match.group(0)
        printed = base64.b64encode(glyphs_as_text(svg).encode("utf-8")).decode("ascii")
        return f'<img class="chart" src="data:image/svg+xml;base64,{printed}"'

    return _CHART_SVG.sub(swap, html)


@dataclass(frozen=True)
class Truncation:
    """One cell whose output the report shows cut: how many of its characters are shown."""

    cell: int  #: the cell's index in the notebook
    shown: int
    total: int

    def note(self) -> str:
        """What the report says at that spot."""
        return f"output truncated: {self.shown:,} of {self.total:,} characters shown"


#: The class of the note's paragraph (report.css may style it).
TRUNCATED_CLASS = "output-truncated"


def _note_output(truncation: Truncation) -> Any:
    """The note as a display output (HTML for the report, plain text for other views)."""
    from nbformat.v4 import new_output

    text = truncation.note()
    html = f'<p class="{TRUNCATED_CLASS}"><strong>[{text}]</strong></p>'
    return new_output("display_data", data={"text/html": html, "text/plain": f"[{text}]"})


def _cut_html(html: str, keep: int) -> tuple[str, int]:
    """``html`` cut after ``keep`` characters of its text (markup, comments, scripts and styles
    not counted), still well formed; and its text's length. Unchanged when it fits."""
    from bs4 import BeautifulSoup, NavigableString

    soup = BeautifulSoup(html, "html.parser")
    strings = [s for s in soup.find_all(string=True) if type(s) is NavigableString]
    total = sum(map(len, strings))
    if total <= keep:
        return html, total
    for string in strings:
        if len(string) < keep:
            keep -= len(string)
            continue
        node: Any = NavigableString(str(string)[:keep])
        string.replace_with(node)
        while node is not None and node is not soup:  # everything after the cut goes
            for later in list(node.next_siblings):
                later.extract()
            node = node.parent
        break
    return str(soup), total


def _text_of(output: Any) -> tuple[str, str] | None:
    """The text a report shows for ``output``, and where it sits (a stream's ``text``, an
    error's ``traceback`` or a MIME type of ``data``); None for images and other outputs."""
    kind = output.get("output_type")
    if kind == "stream":
        text = output.get("text", "")
        return ("text", "".join(text) if isinstance(text, list) else text)
    if kind == "error":
        return ("traceback", "\n".join(output.get("traceback", [])))
    data = output.get("data", {})
    for mime in ("text/html", "text/markdown", "text/plain"):
        if mime in data:
            value = data[mime]
            return (mime, "".join(value) if isinstance(value, list) else value)
    return None


def _cut_output(output: Any, keep: int) -> int | None:
    """Cut ``output``'s text to ``keep`` characters in place (its other views go, they would be
    uncut); return the text's full length, None for an output without text."""
    found = _text_of(output)
    if found is None:
        return None
    where, text = found
    if where == "text/html":
        if len(text) <= keep:
            return len(text)
        cut, size = _cut_html(text, keep)  # the text of the HTML may still fit
    else:
        cut, size = text[:keep], len(text)
    if size > keep:
        if where == "text":
            output["text"] = cut
        elif where == "traceback":
            output["traceback"] = cut.split("\n")
        else:
            output["data"] = {where: cut}
    return size


def bound_outputs(nb: NotebookNode, limit: int) -> list[Truncation]:
    """Cut each code cell's outputs to ``limit`` characters of text in all (see
    :data:`analysis.config.MAX_OUTPUT_CHARS`): the output that crosses it is cut there, the
    text outputs after it are dropped, and a note follows. Returns what was cut."""
    cut: list[Truncation] = []
    for index, cell in enumerate(nb.cells):
        if cell.get("cell_type") != "code":
            continue
        left, total = limit, 0
        kept: list[Any] = []
        note_at: int | None = None
        for output in cell.get("outputs", []):
            size = _cut_output(output, left)
            if size is not None:
                total += size
                if not left:  # dropped: the cell's budget is spent
                    note_at = len(kept) if note_at is None else note_at
                    continue
                if size > left:
                    note_at = len(kept) + 1
                left -= min(size, left)
            kept.append(output)
        if note_at is not None:
            truncation = Truncation(index, limit - left, total)
            kept.insert(note_at, _note_output(truncation))
            cut.append(truncation)
            cell["outputs"] = kept
    return cut


class ExportTimeout(RuntimeError):
    """The export of a run took longer than its bound (:func:`analysis.config.export_timeout`)."""


T = TypeVar("T")


def _portable(err: BaseException) -> BaseException:
    """``err`` if it pickles (to cross back from the child), else a RuntimeError that names it."""
    try:
        pickle.loads(pickle.dumps(err))
    except Exception:  # noqa: BLE001 - any failure to round-trip
        return RuntimeError(f"{type(err).__name__}: {err}")
    return err


def _child(work: Callable[[], Any], pipe: int, parent: int) -> None:
    """In the forked child: die with the parent, do ``work``, send its result (or error)."""
    from analysis.render.executors import die_with_parent

    try:
        die_with_parent(parent)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        try:
            payload: tuple[bool, Any] = (True, work())
        except BaseException as err:  # noqa: BLE001 - sent to the parent, raised there
            payload = (False, _portable(err))
        with os.fdopen(pipe, "wb") as out:
            pickle.dump(payload, out)
    finally:
        os._exit(0)


def _receive(pipe: int, pid: int, seconds: float, what: str) -> bytes:
    """Everything the child sends before it closes the pipe; kill it after ``seconds``."""
    deadline = time.monotonic() + seconds
    chunks: list[bytes] = []
    while True:
        left = deadline - time.monotonic()
        ready = select.select([pipe], [], [], max(left, 0))[0] if left > 0 else []
        if not ready:
            os.kill(pid, signal.SIGKILL)
            raise ExportTimeout(
                f"{what} took longer than {seconds:g} s and was stopped "
                f"(${config.EXPORT_TIMEOUT_ENV} or build --export-timeout sets the bound)"
            )
        chunk = os.read(pipe, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def bounded(work: Callable[[], T], seconds: float, what: str = "export") -> T:
    """``work()`` in a forked child process, killed after ``seconds`` (raises
    :class:`ExportTimeout`); its result or exception comes back. The child inherits this
    process's state (compiled templates, fonts), so it starts at once, and it dies with this
    process. Where there is no fork (Windows), ``work()`` runs here, unbounded."""
    if not hasattr(os, "fork"):
        return work()
    read, write = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child (coverage does not follow it)
        os.close(read)
        _child(work, write, parent)
    os.close(write)
    try:
        data = _receive(read, pid, seconds, what)
    finally:
        os.close(read)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)  # gone already, unless interrupted here
        _, status = os.waitpid(pid, 0)
    if not data:
        raise RuntimeError(
            f"{what} stopped: its process died ({_how(status)}); out of memory? "
            f"(${config.MAX_OUTPUT_CHARS_ENV} bounds the output it prints)"
        )
    ok, value = pickle.loads(data)
    if not ok:
        raise value
    return value  # type: ignore[no-any-return]


def _how(status: int) -> str:
    """A waitpid status in words."""
    if os.WIFSIGNALED(status):
        return f"signal {signal.Signals(os.WTERMSIG(status)).name}"
    return f"exit {os.waitstatus_to_exitcode(status)}"


@dataclass(frozen=True)
class ExportResult:
    """Files written by :meth:`Exporter.export`, how long each took and what it cut."""

    title: str
    html: Path
    pdf: Path | None
    html_seconds: float
    pdf_seconds: float
    truncated: tuple[Truncation, ...] = ()


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
        max_output_chars: int | None = None,
        timeout: float | None = None,
    ) -> ExportResult:
        """Write ``out_dir/<stem>.html`` (and ``.pdf``) from the executed notebook ``nb_path``,
        each cell's output cut to ``max_output_chars`` and the whole in a child process killed
        after ``timeout`` seconds (raises :class:`ExportTimeout`; defaults: config)."""
        limit = config.max_output_chars() if max_output_chars is None else max_output_chars
        seconds = config.export_timeout() if timeout is None else timeout
        return bounded(
            lambda: self._export(nb_path, out_dir, stem, pdf, show_code, limit),
            seconds,
            f"the export of {stem}",
        )

    def _export(
        self, nb_path: Path, out_dir: Path, stem: str, pdf: bool, show_code: bool, limit: int
    ) -> ExportResult:
        import nbformat

        from analysis.render.notebook import notebook_title

        nb = nbformat.read(nb_path, as_version=4)
        started = time.perf_counter()
        truncated = bound_outputs(nb, limit)
        html = self.html(nb, name=stem, show_code=show_code)
        html, _ = publish_data(html, out_dir)
        html_path = out_dir / f"{stem}.html"
        atomic.write_text(html_path, html)
        html_seconds = time.perf_counter() - started
        pdf_path: Path | None = None
        started = time.perf_counter()
        if pdf:
            pdf_path = out_dir / f"{stem}.pdf"
            printed = print_charts(pdf_data_notes(print_breaks(html)))
            atomic.write_bytes(pdf_path, self.pdf(printed, base_url=nb_path.parent))
        return ExportResult(
            notebook_title(nb, stem),
            html_path,
            pdf_path,
            round(html_seconds, 3),
            round(time.perf_counter() - started, 3) if pdf else 0.0,
            tuple(truncated),
        )


@functools.cache
def exporter() -> Exporter:
    """The process's one :class:`Exporter` (workers reuse it across runs)."""
    return Exporter()
