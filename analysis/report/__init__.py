"""View helpers for the report notebooks: pure functions from processed tables to the frames the
charts and tables draw, so that notebooks stay thin and the logic is tested.

- :mod:`analysis.report.html` — an HTML table that escapes every cell and links only http(s) URLs;
- :mod:`analysis.report.periods` — the article's periods (before 2012, 2012–2017, after 2017);
- :mod:`analysis.report.finances` — Iran's finances (inflation, rial rates, oil, military, FDI);
- :mod:`analysis.report.claims` — the funding claims (filters, ranges, spread by period, tables);
- :mod:`analysis.report.rapprochement` — the article's argument against the data.
"""
