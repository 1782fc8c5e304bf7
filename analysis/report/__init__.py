"""View helpers for the report notebooks: pure functions from processed tables to the frames the
charts and tables draw, so that notebooks stay thin and the logic is tested.

- :mod:`analysis.views.html` — an HTML table that escapes every cell and links only http(s) URLs;
- :mod:`analysis.views.periods` — the article's periods (before 2012, 2012–2017, after 2017);
- :mod:`analysis.views.finances` — Iran's finances (inflation, rial rates, oil, military, FDI);
- :mod:`analysis.views.claims` — the funding claims (filters, ranges, spread by period, tables);
- :mod:`analysis.views.rapprochement` — the article's argument against the data.
"""
