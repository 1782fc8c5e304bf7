"""Where each report's PDF time goes, A against B: WeasyPrint's parse, layout (``render``) and
write in CPU seconds, medians of interleaved rounds (A, B, A, B, ...), beside the machine's load.

A and B are folders of built reports (``reports/`` or a copy of an earlier build): each report's
HTML is printed as the build prints it (:func:`analysis.render.export.pdf_data_notes`), with
this checkout's print set-up. ``--css-a``/``--css-b`` swap the stylesheet inlined in the HTML
for another file (to try a stylesheet change without a rebuild); ``--fresh-fonts-a`` gives A a
new font configuration per PDF, as the exporter did before it kept one per process.

    cp -r reports /tmp/reports-before            # before a change; rebuild after it, then
    .venv/bin/python benchmarks/pdf_phases.py /tmp/reports-before reports --fresh-fonts-a
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path
from typing import Any

PHASES = ("parse", "layout", "write")


def _clock() -> float:
    """This process's CPU seconds (printing a PDF is single-threaded and CPU-bound, so on a
    quiet machine they equal wall seconds; on a shared one they are the steadier measure)."""
    return time.process_time()


def _html(folder: Path, name: str, css: Path | None) -> str:
    """The HTML the build prints for report ``name`` in ``folder`` (its stylesheet swapped)."""
    from analysis.render.export import pdf_data_notes

    html = (folder / name / f"{name}.html").read_text(encoding="utf-8")
    if css is not None:
        start = html.index("<style>\n") + len("<style>\n")
        html = (
            html[:start]
            + css.read_text(encoding="utf-8")
            + "\n"
            + html[html.index("</style>", start) :]
        )
    return pdf_data_notes(html)


def _setup(fresh: bool) -> Any:
    """The process's print set-up, or a new one (fonts loaded and registered again)."""
    from analysis.render import pdf_exporter

    if fresh:
        pdf_exporter.print_setup.cache_clear()
    return pdf_exporter.print_setup()


def phases(html: str, fresh_fonts: bool) -> tuple[dict[str, float], int]:
    """Seconds per phase of one PDF (parse includes a fresh set-up when asked), and its pages."""
    import weasyprint

    started = _clock()
    setup = _setup(fresh_fonts)
    document = weasyprint.HTML(string=html, url_fetcher=setup.fetcher)
    parsed = _clock()
    rendered = document.render(stylesheets=list(setup.stylesheets), font_config=setup.fonts)
    laid_out = _clock()
    rendered.write_pdf()
    done = _clock()
    times = {"parse": parsed - started, "layout": laid_out - parsed, "write": done - laid_out}
    return times, len(rendered.pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("a", type=Path, help="folder of built reports (A)")
    parser.add_argument("b", type=Path, help="folder of built reports (B)")
    parser.add_argument("--only", action="append", help="report name (repeatable)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--css-a", type=Path)
    parser.add_argument("--css-b", type=Path)
    parser.add_argument("--fresh-fonts-a", action="store_true")
    args = parser.parse_args()
    names = args.only or sorted(
        p.name for p in args.b.iterdir() if (p / f"{p.name}.html").is_file()
    )
    _setup(False)  # as a worker's warm-up does
    print("load before:", os.getloadavg())
    print(f"{'report':44} {'':2} " + " ".join(f"{p:>7}" for p in PHASES) + "   total pages")
    for name in names:
        runs: dict[str, list[dict[str, float]]] = {"A": [], "B": []}
        pages = {}
        sides = {
            "A": (_html(args.a, name, args.css_a), args.fresh_fonts_a),
            "B": (_html(args.b, name, args.css_b), False),
        }
        for _ in range(args.rounds):
            for side, (html, fresh) in sides.items():
                times, pages[side] = phases(html, fresh)
                runs[side].append(times)
        for side in runs:
            med = {p: statistics.median(r[p] for r in runs[side]) for p in PHASES}
            total = statistics.median(sum(r.values()) for r in runs[side])
            cells = " ".join(f"{med[p]:7.2f}" for p in PHASES)
            print(f"{name:44} {side:2} {cells}   {total:5.2f} {pages[side]:5}")
    print("load after:", os.getloadavg())


if __name__ == "__main__":
    main()
