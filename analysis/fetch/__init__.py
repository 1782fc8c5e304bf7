"""The raw-data layer: ``analysis fetch`` brings upstream files into ``data/raw/<source-id>/``.

* :mod:`~analysis.fetch.registry` reads ``sources.toml`` (who publishes what, licence, downloads);
* :mod:`~analysis.fetch.lock` reads and writes ``sources.lock.json`` (sha256, size, origin, date);
* :mod:`~analysis.fetch.http` downloads over HTTPS with timeouts, retries and progress;
* :mod:`~analysis.fetch.fetch` runs a fetch (snapshot folder or upstream) and returns a
  :class:`~analysis.fetch.report.FetchReport`.
"""
