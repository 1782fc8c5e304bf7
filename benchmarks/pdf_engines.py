"""Measure the two PDF engines on the built reports: WeasyPrint (the report HTML, as shipped)
and Typst (executed notebook -> nbconvert markdown -> pandoc -> .typ -> typst), the route the
presentation issue asked to compare. Prints one row per report and engine: seconds, pages,
pages (but the last) at least 40 % blank, and whether the Arabic quotes survive.

    .venv/bin/python benchmarks/pdf_engines.py            # after `analysis build`

Needs the measurement-only packages ``typst`` and ``pypandoc-binary`` (not dependencies).
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def _pages_and_checks(pdf: bytes, folder: Path) -> tuple[int, int, bool]:
    from pypdf import PdfReader
    from test_report_quality import MAX_BLANK, blank_share

    path = folder / "out.pdf"
    path.write_bytes(pdf)
    for old in folder.glob("p-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(path), str(folder / "p")], check=True)
    pages = sorted(folder.glob("p-*.png"))
    blank = sum(blank_share(p) >= MAX_BLANK for p in pages[:-1])
    text = " ".join(p.extract_text() for p in PdfReader(path).pages)
    arabic = bool(re.search(r"[\u0600-\u06ff]{3,}", text))
    return len(pages), blank, arabic


def weasyprint_pdf(nb_path: Path) -> bytes:
    import nbformat

    from analysis.render.export import exporter, pdf_data_notes, publish_data

    nb = nbformat.read(nb_path, as_version=4)
    with tempfile.TemporaryDirectory() as out:
        html, _ = publish_data(exporter().html(nb), Path(out))
        return exporter().pdf(pdf_data_notes(html), base_url=nb_path.parent)


def typst_pdf(nb_path: Path, work: Path) -> bytes:
    import nbformat
    import pypandoc
    import typst
    from fontpkg_noto_sans_arabic import ROOT as FONTS
    from nbconvert import MarkdownExporter

    nb = nbformat.read(nb_path, as_version=4)
    exporter = MarkdownExporter(exclude_input=True, exclude_input_prompt=True)
    body, resources = exporter.from_notebook_node(nb)
    for name, data in resources.get("outputs", {}).items():
        (work / name).write_bytes(data)
    body = body.replace("$", "\\$")  # money, not math
    typ = pypandoc.convert_text(body, "typst", format="markdown-raw_html+raw_attribute")
    source = work / "report.typ"
    source.write_text(
        '#set page(paper: "a4", numbering: "1 of 1")\n'
        '#set text(font: ("DejaVu Sans", "Noto Sans Arabic"), size: 10pt)\n' + typ,
        encoding="utf-8",
    )
    return bytes(typst.compile(str(source), font_paths=[str(FONTS / "files")]))


def main() -> None:
    runs = sorted(p for p in (ROOT / "reports").glob("*") if (p / f"{p.name}.ipynb").exists())
    print("report\tengine\tseconds\tpages\tblank_pages\tarabic_ok")
    for run in runs:
        nb_path = run / f"{run.name}.ipynb"
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            for engine in ("weasyprint", "typst"):
                started = time.perf_counter()
                try:
                    pdf = (
                        weasyprint_pdf(nb_path)
                        if engine == "weasyprint"
                        else typst_pdf(nb_path, folder)
                    )
                except Exception as error:  # report the failure, measure the rest
                    print(f"{run.name}\t{engine}\tfailed: {type(error).__name__}: {error}"[:300])
                    continue
                seconds = time.perf_counter() - started
                pages, blank, arabic = _pages_and_checks(pdf, folder)
                print(f"{run.name}\t{engine}\t{seconds:.2f}\t{pages}\t{blank}\t{arabic}")


if __name__ == "__main__":
    main()
