"""PDF time per built report with its charts as the HTML has them (text as glyph paths) against
the print form the exporter uses (:func:`analysis.render.export.print_charts`: text as text).

Reads ``reports/<run>/<run>.html`` of a finished build, times WeasyPrint on both forms
interleaved (A, B, B, A, ...) and prints the medians with the load average of each round::

    .venv/bin/python benchmarks/pdf_charts.py [ROUNDS]
"""

from __future__ import annotations

import os
import statistics
import sys
import time

from analysis import config
from analysis.render.export import pdf_data_notes, print_charts
from analysis.render.pdf_exporter import html_to_pdf

FORMS = ("glyph paths", "text")


def seconds(html: str, form: str) -> float:
    """WeasyPrint's time for one report in one form (the form's rewrite included)."""
    started = time.perf_counter()
    html_to_pdf(print_charts(html) if form == "text" else html)
    return time.perf_counter() - started


def main(rounds: int = 3) -> None:
    runs = sorted(p for p in config.paths().reports.iterdir() if (p / f"{p.name}.html").is_file())
    pages = {p.name: pdf_data_notes((p / f"{p.name}.html").read_text("utf-8")) for p in runs}
    times: dict[tuple[str, str], list[float]] = {(r, f): [] for r in pages for f in FORMS}
    for i in range(rounds):
        for run, html in pages.items():
            for form in FORMS if i % 2 == 0 else reversed(FORMS):
                times[run, form].append(seconds(html, form))
        print(f"round {i + 1}: load average {os.getloadavg()[0]:.2f}", flush=True)
    for run in pages:
        before, after = (statistics.median(times[run, f]) for f in FORMS)
        share = after / before
        print(f"{run:45s} glyph paths {before:6.2f} s   text {after:6.2f} s   ({share:.0%})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
