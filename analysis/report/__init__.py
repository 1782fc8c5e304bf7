"""View helpers for the report notebooks: pure functions from processed tables to the frames the
charts and tables draw, so that notebooks stay thin and the logic is tested.

- :mod:`analysis.report.html` — an HTML table that escapes every cell and links only http(s) URLs;
- :mod:`analysis.report.periods` — the article's periods, dated by the break and return events
  (before 2012, the rift 2012–2016, 2017 onwards);
- :mod:`analysis.report.finances` — Iran's finances (inflation, rial rates, oil, military, FDI);
- :mod:`analysis.report.claims` — the funding claims (filters, ranges, spread by period, tables);
- :mod:`analysis.report.evidence` — the evidence model of the claims: status classes, source
  grades, placement by the years the money is for, tallies by period;
- :mod:`analysis.report.article` — the article's factual claims, each with a computed verdict;
- :mod:`analysis.report.context` — Iran's squeeze by month, the events timeline, Gaza's side;
- :mod:`analysis.report.funding` — the ``hamas_funding_claims`` report, built once;
- :mod:`analysis.report.rapprochement` — the ``rapprochement`` report, built once.
"""
