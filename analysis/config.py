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
        return self.raw / "ledgers"

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
        return self.reports / "_failed"

    @property
    def cache(self) -> Path:
        """Build cache, staging folders and locks."""
        return self.root / ".cache"

    @property
    def logs(self) -> Path:
        return self.root / "logs"


def project_root() -> Path:
    """The project root: ``$ANALYSIS_HOME`` if set, else the repository root."""
    home = os.environ.get(HOME_ENV)
    return Path(home).resolve() if home else REPO_ROOT


def paths() -> Paths:
    """The paths for this process (read the environment each call, so tests can move them)."""
    return Paths(project_root())


def snapshot_dir(override: str | os.PathLike[str] | None = None) -> Path | None:
    """The local snapshot folder: ``override`` (``--snapshot``), else ``$ANALYSIS_SNAPSHOT``."""
    value = override if override is not None else os.environ.get(SNAPSHOT_ENV)
    return Path(value).expanduser().resolve() if value else None


#: Years and choices used as defaults in several places (named once).
DEFAULT_START_YEAR = 2000
DEFAULT_END_YEAR = 2024
DEFAULT_BASE_YEAR = 2024
FX_RATE_TYPES = ("open_market", "official", "nima")
#: Periods of the founding article's argument: before the 2012 break, the break, after 2017.
PERIOD_BREAKS = (2012, 2017)
