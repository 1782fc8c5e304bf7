"""nbconvert exporters for reports: offline HTML and a WeasyPrint PDF of the same HTML.

``ReportHTMLExporter`` renders a notebook with the ``report`` template (code cells and prompts
hidden, no scripts, images embedded as data URIs, one inline stylesheet: ``report.css``).
``WeasyPDFExporter`` prints that HTML to an A4 PDF with WeasyPrint (no LaTeX, no browser). It is
registered as the nbconvert exporter ``weasypdf`` (entry point in pyproject.toml), so this works::

    jupyter nbconvert --to weasypdf notebooks/iran_inflation.ipynb

Cells tagged ``remove-cell`` are left out, ``remove-input`` / ``remove-output`` drop one side;
stderr streams (warnings) are left out of reports but kept in the executed notebook.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from nbconvert.exporters import HTMLExporter, TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from nbconvert.preprocessors import Preprocessor
from nbformat import NotebookNode
from traitlets import Bool, default
from traitlets.config import Config

from analysis.render.notebook import notebook_title

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
CSS_PATH = HERE / "report.css"
TEMPLATE_NAME = "report"

#: Tags people put on cells (JupyterLab's and Jupyter Book's names).
TAG_CONFIG = {
    "remove_cell_tags": ["remove-cell"],
    "remove_input_tags": ["remove-input"],
    "remove_all_outputs_tags": ["remove-output"],
}


@functools.cache
def report_css() -> str:
    """The report stylesheet (read once per process)."""
    return CSS_PATH.read_text(encoding="utf-8")


def svg_data_uri(svg: str | list[str]) -> str:
    """An SVG document as a ``data:image/svg+xml;base64,...`` URI (for ``<img src>``)."""
    import base64

    text = "".join(svg) if isinstance(svg, list) else svg
    return "data:image/svg+xml;base64," + base64.b64encode(text.encode("utf-8")).decode("ascii")


#: The prefix of a chart's embedded CSV link; :mod:`analysis.render.export` turns each into a
#: file beside the report.
CSV_URI_PREFIX = "data:text/csv;charset=utf-8;base64,"


def csv_data_uri(text: str) -> str:
    """CSV text as a ``data:text/csv`` URI (the download link works in a lone HTML file)."""
    import base64

    return CSV_URI_PREFIX + base64.b64encode(text.encode("utf-8")).decode("ascii")


_H2 = re.compile(r'<h2 id="([^"]+)"[^>]*>(.*?)</h2>', re.S)


def add_toc(html: str) -> str:
    """Insert a table of contents (the report's ``h2`` headings, linked by their ids) after the
    title; folded on screen, left out of print (the PDF has bookmarks)."""
    entries = [
        (anchor, re.sub(r"<a class=\"anchor-link\".*?</a>|<[^>]+>", "", text).strip())
        for anchor, text in _H2.findall(html)
    ]
    entries = [(a, t) for a, t in entries if t]
    if len(entries) < 2 or "</h1>" not in html:
        return html
    items = "".join(f'<li><a href="#{a}">{t}</a></li>' for a, t in entries)
    nav = (
        '<nav class="toc" aria-label="Contents"><details><summary>Contents</summary>'
        f"<ol>{items}</ol></details></nav>"
    )
    return html.replace("</h1>", "</h1>" + nav, 1)


class DropStderrPreprocessor(Preprocessor):
    """Remove stderr streams (warnings, progress bars) from code cells' outputs."""

    def preprocess_cell(
        self, cell: NotebookNode, resources: dict[str, Any], index: int
    ) -> tuple[NotebookNode, dict[str, Any]]:
        if cell.cell_type == "code":
            cell.outputs = [
                o
                for o in cell.outputs
                if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
            ]
        return cell, resources


class ReportHTMLExporter(HTMLExporter):
    """Self-contained, offline report HTML: code hidden, no scripts, images embedded."""

    export_from_notebook = "Report HTML"
    hide_stderr = Bool(True, help="Leave stderr streams out of the report.").tag(config=True)

    def __init__(self, config: Config | None = None, **kw: Any) -> None:
        merged = Config({"TagRemovePreprocessor": dict(TAG_CONFIG)})
        if config is not None:
            merged.merge(config)
        super().__init__(config=merged, **kw)
        if self.hide_stderr:
            self.register_preprocessor(DropStderrPreprocessor(parent=self), enabled=True)
        self.register_filter("svg_data_uri", svg_data_uri)
        self.register_filter("csv_data_uri", csv_data_uri)

    @default("template_name")
    def _template_name_default(self) -> str:
        return TEMPLATE_NAME

    @default("extra_template_basedirs")
    def _extra_template_basedirs_default(self) -> list[str]:
        return [str(TEMPLATES)]

    @default("exclude_input")
    def _exclude_input_default(self) -> bool:
        return True

    @default("exclude_input_prompt")
    def _exclude_input_prompt_default(self) -> bool:
        return True

    @default("exclude_output_prompt")
    def _exclude_output_prompt_default(self) -> bool:
        return True

    @default("embed_images")
    def _embed_images_default(self) -> bool:
        return True

    @jinja2.pass_context
    def markdown2html(self, context: Any, source: str) -> str:
        """Markdown to HTML with ``$`` as a dollar sign, not a math delimiter.

        These reports are about money ("$260m ... $30m") and load no MathJax, so nbconvert's
        math parsing would only keep the markdown between two dollar amounts from rendering.
        """
        import mistune
        from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

        cell = context.get("cell", {})
        renderer = IPythonRenderer(
            escape=False,
            attachments=cell.get("attachments", {}),
            embed_images=self.embed_images,
            path=context.get("resources", {}).get("metadata", {}).get("path", ""),
            anchor_link_text=self.anchor_link_text,
            exclude_anchor_links=self.exclude_anchor_links,
            **self.lexer_options,
        )
        parser = MarkdownWithMath(
            renderer=renderer,
            block=mistune.BlockParser(),
            inline=mistune.InlineParser(hard_wrap=False),
        )
        return parser.render(source)

    def from_notebook_node(  # type: ignore[override]
        self, nb: NotebookNode, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[str, dict[str, Any]]:
        # HTMLExporter.from_notebook_node minus its BeautifulSoup pass, which re-parses the whole
        # page (base64 images included) to add alt texts (the template writes them) and sorts
        # every tag's attributes (``<img alt=... src=...>``).
        resources = dict(resources or {})
        name = resources.get("metadata", {}).get("name") or "Report"
        resources["report_title"] = notebook_title(nb, fallback=str(name))
        resources["report_css"] = report_css()
        resources["report_subject"] = str(
            nb.metadata.get("description") or resources["report_title"]
        )
        resources["report_keywords"] = KEYWORDS
        resources["report_date"] = data_date()
        language = nb.metadata.get("language_info", {})
        lexer = language.get("pygments_lexer", language.get("name"))
        self.register_filter(
            "highlight_code",
            self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)),
        )
        resources = self._init_resources(resources)
        self.register_filter(
            "filter_data_type",
            WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources
            ),
        )
        body, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        return add_toc(body), resources


#: PDF keywords (WeasyPrint writes ``<meta name="keywords">`` into the PDF's metadata).
KEYWORDS = "Iran, Hamas, rapprochement, inflation, rial, oil, military expenditure, funding claims"


def data_date() -> str:
    """The date the report's data stands at: the latest access date of a raw file in the
    processed manifest (never the clock), ``""`` when unknown. Becomes the PDF's creation date."""
    from analysis import store

    try:
        tables = store.manifest().get("tables", {})
    except Exception:  # a missing or broken manifest leaves the date out
        return ""
    dates = [
        str(item.get("accessed"))
        for entry in tables.values()
        if isinstance(entry, dict)
        for item in entry.get("inputs", [])
        if isinstance(item, dict) and item.get("accessed")
    ]
    return max(dates, default="")


#: The family name report.css lists for Arabic-script text (quotes in Arabic and Persian).
ARABIC_FAMILY = "Noto Sans Arabic"


@functools.cache
def font_css() -> str:
    """``@font-face`` rules for the fonts the project installs (pip package
    ``fontpkg-noto-sans-arabic``, OFL-1.1), so the PDF never depends on system fonts for
    Arabic and Persian; empty if the package is missing (the browser's fonts then apply)."""
    try:
        from fontpkg_noto_sans_arabic import ROOT
    except ImportError:
        return ""
    files = sorted((ROOT / "files").glob("*.ttf"))
    return "".join(
        f'@font-face {{ font-family: "{ARABIC_FAMILY}"; src: url("{path.as_uri()}"); }}\n'
        for path in files[:1]
    )


class MissingSystemLibraries(RuntimeError):
    """The PDF engine's system libraries (Pango) are not installed; the message says how."""


def _asset_roots() -> tuple[Path, ...]:
    """The folders a report PDF may read files from: this package's (templates, CSS) and the
    installed Arabic font's (:func:`font_css`)."""
    try:
        from fontpkg_noto_sans_arabic import ROOT
    except ImportError:
        return (HERE,)
    return (HERE, Path(ROOT).resolve())


def report_url_fetcher() -> Any:
    """A WeasyPrint URL fetcher that serves ``data:`` URLs and files of this package's own
    folder and of the installed font (:func:`_asset_roots`) and refuses everything else
    (``file:`` elsewhere, ``http:``, ``ftp:``...): a report's HTML must not pull a local file
    (``<link rel="attachment" href="file:///etc/passwd">`` would embed it in the PDF) or reach
    the network. A refused resource is left out with WeasyPrint's warning."""
    from urllib.parse import unquote, urlsplit

    from weasyprint.urls import URLFetcher

    class ReportURLFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            scheme = parts.scheme.lower()
            if scheme == "file":
                path = Path(unquote(parts.path)).resolve()
                if not any(path.is_relative_to(root) for root in _asset_roots()):
                    raise ValueError(f"report PDF: refused a local file outside the package: {url}")
            elif scheme != "data":
                raise ValueError(f"report PDF: refused a {scheme or 'relative'} URL: {url[:80]}")
            return super().fetch(url, headers)

    return ReportURLFetcher(allowed_protocols=("data", "file"), allow_redirects=False)


def _weasyprint() -> Any:
    """The ``weasyprint`` module; :class:`MissingSystemLibraries` (with the install line per
    platform) when it cannot load Pango from the system."""
    try:
        import weasyprint
    except OSError as error:  # cffi could not dlopen Pango and friends
        from analysis.render.system_check import install_message, missing_libraries

        raise MissingSystemLibraries(
            install_message(missing_libraries() or ["pango (" + str(error) + ")"])
        ) from error
    return weasyprint


@dataclass(frozen=True)
class PrintSetup:
    """What every report PDF shares: WeasyPrint's font configuration (Fontconfig's fonts and a
    Pango font map) with the report fonts of :func:`font_css` registered, that stylesheet
    parsed, and the URL fetcher."""

    fonts: Any  #: ``weasyprint.text.fonts.FontConfiguration``
    stylesheets: tuple[Any, ...]  #: ``weasyprint.CSS`` (the ``@font-face`` rules)
    fetcher: Any  #: :func:`report_url_fetcher`


@functools.cache
def print_setup() -> PrintSetup:
    """The process's one :class:`PrintSetup`, made on first use: loading Fontconfig's fonts and
    registering the Arabic font cost about 0.1 s, and a font map that has laid out text keeps
    its fonts and glyph metrics open for the next PDF. A worker makes it while warming up, so
    each forked export child inherits it (and only the child's copy grows)."""
    weasyprint = _weasyprint()
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    fetcher = report_url_fetcher()
    extra = (
        (weasyprint.CSS(string=font_css(), font_config=fonts, url_fetcher=fetcher),)
        if font_css()
        else ()
    )
    return PrintSetup(fonts, extra, fetcher)


def html_to_pdf(html: str, base_url: str | Path | None = None) -> bytes:
    """Print report HTML to PDF bytes with WeasyPrint (A4 and page rules come from the CSS),
    with the process's :func:`print_setup` (fonts registered once).

    Raises :class:`MissingSystemLibraries` (with the install line per platform) when WeasyPrint
    cannot load Pango from the system.
    """
    weasyprint = _weasyprint()
    setup = print_setup()
    document = weasyprint.HTML(
        string=html, base_url=str(base_url) if base_url else None, url_fetcher=setup.fetcher
    )
    pdf = document.write_pdf(stylesheets=list(setup.stylesheets), font_config=setup.fonts)
    assert pdf is not None
    return bytes(pdf)


class WeasyPDFExporter(ReportHTMLExporter):
    """The report HTML printed to PDF by WeasyPrint: ``--to weasypdf``."""

    export_from_notebook = "PDF via WeasyPrint"
    output_mimetype = "application/pdf"

    @default("file_extension")
    def _file_extension_default(self) -> str:
        return ".pdf"

    @default("template_extension")
    def _template_extension_default(self) -> str:
        return ".html.j2"

    def from_notebook_node(  # type: ignore[override]
        self, nb: NotebookNode, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[bytes, dict[str, Any]]:  # type: ignore[override]
        html, resources = super().from_notebook_node(nb, resources, **kw)
        base_url = resources.get("metadata", {}).get("path") or None
        pdf = html_to_pdf(html, base_url=base_url)
        resources["output_extension"] = ".pdf"
        return pdf, resources  # type: ignore[return-value]
