"""The single source of the project's paths and settings.

Nothing else in the package hard-codes a path: every module asks this one. A path can be
moved for one process with an environment variable (tests and benchmarks use this to work in a
temporary folder):

- ``ANALYSIS_HOME``: the project folder holding data/ and reports/ (default: the repository root);
- ``ANALYSIS_SNAPSHOT``: a local folder laid out like ``../shared/mirror`` to fetch from instead of
  the upstream URLs (default: unset, fetch upstream).

Data flows one way: ``data/raw`` → ``data/processed`` → ``notebooks`` → ``reports``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

SNAPSHOT_ENV = "ANALYSIS_SNAPSHOT"
HOME_ENV = "ANALYSIS_HOME"
#: Set by the build for the kernel: the digest of the report code (the cache key's ``code``),
#: which the provenance appendix states instead of the git commit (reproducible across commits
#: that leave the report code alone).
CODE_DIGEST_ENV = "ANALYSIS_CODE_DIGEST"
#: How report kernels start: "forked" (default: from a warm template, see render/kernels.py)
#: or "plain" (a new interpreter per run).
KERNEL_MODE_ENV = "ANALYSIS_KERNEL"

#: The repository root (the folder holding pyproject.toml), whatever the working directory.
REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Paths:
    """Every folder and file the pipeline reads or writes, below one project root."""

    root: Path

    # --- committed, edited by people -------------------------------------------------
    @property
    def sources(self) -> Path:
        """The source registry: one entry per upstream source (TOML)."""
        return self.root / "sources.toml"

    @property
    def lock(self) -> Path:
        """The lock file: sha256, size and origin of every raw file (committed)."""
        return self.root / "sources.lock.json"

    @property
    def report_config(self) -> Path:
        """Which report runs to build: notebook, parameters, output name (TOML)."""
        return self.root / "reports.toml"

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def ledgers(self) -> Path:
        """Curated ledgers (claims, events), committed; the only raw data in git."""
        return self.raw / LEDGERS_DIR

    # --- written by the pipeline, git-ignored -----------------------------------------
    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def raw(self) -> Path:
        """Immutable raw files; only ``analysis fetch`` writes here."""
        return self.data / "raw"

    @property
    def processed(self) -> Path:
        """Validated tidy tables; only ``analysis clean`` writes here."""
        return self.data / "processed"

    @property
    def quarantine(self) -> Path:
        return self.processed / "quarantine"

    @property
    def processed_manifest(self) -> Path:
        return self.processed / "manifest.json"

    @property
    def reports(self) -> Path:
        """Rendered HTML and PDF; only ``analysis build`` writes here."""
        return self.root / "reports"

    @property
    def failed_reports(self) -> Path:
        """``reports/_failed/<run>/``: a failed run's notebook, HTML with code, error.txt."""
        return self.reports / FAILED_DIR

    @property
    def previous_reports(self) -> Path:
        """``reports/_previous/<run>/``: the report a rebuild replaced (one build back)."""
        return self.reports / PREVIOUS_DIR

    @property
    def index(self) -> Path:
        """The reports' index page (every run, its status and links)."""
        return self.reports / INDEX_FILE

    @property
    def build_summary(self) -> Path:
        """What the last ``analysis build`` did (JSON)."""
        return self.reports / BUILD_SUMMARY_FILE

    @property
    def digest_manifest(self) -> Path:
        """sha256 of every published report file (``sha256sum -c`` from inside reports/)."""
        return self.reports / DIGEST_MANIFEST_FILE

    @property
    def refresh_summary(self) -> Path:
        """When the data last changed and what changed (JSON, written by ``analysis refresh``)."""
        return self.reports / REFRESH_SUMMARY_FILE

    @property
    def cache(self) -> Path:
        """Build cache, staging folders and locks."""
        return self.root / ".cache"

    @property
    def build_cache(self) -> Path:
        """The report build's own cache folder (removed by ``clean-reports``)."""
        return self.cache / "build"

    @property
    def staging(self) -> Path:
        """Where runs execute before their outputs are promoted into reports/."""
        return self.build_cache / "staging"

    @property
    def pipeline_lock(self) -> Path:
        """Held by clean and build: one pipeline step at a time."""
        return self.cache / "pipeline.lock"

    @property
    def fetch_lock(self) -> Path:
        """Held by fetch: one fetch at a time."""
        return self.cache / "fetch.lock"

    @property
    def refresh_lock(self) -> Path:
        """Held by refresh: a second refresh exits BUSY at once."""
        return self.cache / "refresh.lock"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    def refresh_log(self, stamp: str) -> Path:
        """The log of the refresh started at ``stamp`` (UTC, ``%Y%m%dT%H%M%SZ``)."""
        return self.logs / REFRESH_LOG.format(stamp=stamp)


def project_root() -> Path:
    """The project root: ``$ANALYSIS_HOME`` if set, else the repository root."""
    home = os.environ.get(HOME_ENV)
    return Path(home).resolve() if home else REPO_ROOT


def paths() -> Paths:
    """The paths for this process (read the environment each call, so tests can move them)."""
    return Paths(project_root())


def _positive(env: str, default: float) -> float:
    """``$env`` as a positive number, else ``default``; a bad value is a ValueError naming it."""
    text = os.environ.get(env, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise ValueError(f"${env}={text!r}: expected a positive number")
    return value


def max_output_chars() -> int:
    """Characters of one cell's output a report shows (:data:`MAX_OUTPUT_CHARS`, or
    ``$ANALYSIS_MAX_OUTPUT_CHARS``)."""
    return int(_positive(MAX_OUTPUT_CHARS_ENV, MAX_OUTPUT_CHARS))


def export_timeout() -> float:
    """Seconds one run's export may take (:data:`EXPORT_TIMEOUT`, or
    ``$ANALYSIS_EXPORT_TIMEOUT``)."""
    return _positive(EXPORT_TIMEOUT_ENV, EXPORT_TIMEOUT)


def snapshot_dir(override: str | os.PathLike[str] | None = None) -> Path | None:
    """The local snapshot folder: ``override`` (``--snapshot``), else ``$ANALYSIS_SNAPSHOT``."""
    value = override if override is not None else os.environ.get(SNAPSHOT_ENV)
    return Path(value).expanduser().resolve() if value else None


#: The curated ledgers' folder below data/raw (their raw paths start with "ledgers/").
LEDGERS_DIR = "ledgers"

# --- file and folder names below reports/ and logs/ (linked relatively by the index) ---
INDEX_FILE = "index.html"
BUILD_SUMMARY_FILE = "build-summary.json"
REFRESH_SUMMARY_FILE = "refresh-summary.json"
DIGEST_MANIFEST_FILE = "MANIFEST.sha256"
#: In each reports/<run>/: the run's cache key and outputs (JSON); a failed run's error.
BUILD_RECORD_FILE = "build.json"
ERROR_FILE = "error.txt"
FAILED_DIR = "_failed"
PREVIOUS_DIR = "_previous"
REFRESH_LOG = "refresh-{stamp}.log"
REFRESH_LOG_GLOB = REFRESH_LOG.format(stamp="*")

# --- settings ----------------------------------------------------------------------------
#: Seconds a clean/build waits for another one to finish before giving up with BusyError.
LOCK_WAIT_SECONDS = 5.0
#: Seconds one notebook cell may run when no --cell-timeout is given (a hung cell must not
#: hang cron).
DEFAULT_CELL_TIMEOUT = 600.0
#: More report runs than this in one ``analysis build`` need ``--yes`` (a grid typed by
#: mistake, e.g. 500 runs, would otherwise occupy the machine for hours without a word).
MAX_RUNS_WITHOUT_YES = 100
#: Characters of one cell's output a report shows: the text of its streams and plain-text
#: results, and of its HTML results (markup and embedded images not counted). Past it the output
#: is cut, and the report says so at that spot ("output truncated: N of M characters shown"):
#: a notebook printing 100 MB would take WeasyPrint minutes and gigabytes. 20,000 characters
#: are about 15 A4 pages of printed text; ``$ANALYSIS_MAX_OUTPUT_CHARS`` (or ``build
#: --max-output-chars``) sets another limit.
MAX_OUTPUT_CHARS = 100_000
MAX_OUTPUT_CHARS_ENV = "ANALYSIS_MAX_OUTPUT_CHARS"
#: Seconds one run's export (report HTML and PDF, in a child process) may take; past it the run
#: fails with that message and the last good report stays. ``$ANALYSIS_EXPORT_TIMEOUT`` (or
#: ``build --export-timeout``) sets another bound.
EXPORT_TIMEOUT = 300.0
EXPORT_TIMEOUT_ENV = "ANALYSIS_EXPORT_TIMEOUT"
#: Refresh logs kept in logs/ (older ones are removed).
KEEP_REFRESH_LOGS = 200

#: Choices used as defaults in several places (named once).
DEFAULT_BASE_YEAR = 2024
FX_RATE_TYPES = ("open_market", "official", "nima")
#: Years of the break and the return: the rift is 2012–2016 (analysis/report/periods.py reads the
#: same years from the dated events of the events ledger).
PERIOD_BREAKS = (2012, 2017)

#: The project's Jupyter kernel (``analysis lab``, ``make kernel``): the notebooks name it in their
#: metadata, so JupyterLab, the stock ``papermill`` CLI and ``jupyter nbconvert --execute`` run
#: them in this environment with the typed-parameter checks (the builder runs its own interpreter).
KERNEL_NAME = "hamas-iran-analysis"
KERNEL_DISPLAY_NAME = "Python (hamas-iran analysis)"
#: Set by the builder for each run: the file where the kernel's table loads are recorded.
TABLES_LOG_ENV = "ANALYSIS_TABLES_LOG"
#: In a run's staging folder: the tables its kernel opened, one per line (read by the builder).
TABLES_READ_FILE = "tables-read.txt"
