"""Shared fixtures: a throwaway project home, the synthetic snapshot, the real one if set."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
#: Small synthetic files laid out like ../shared/mirror (see its README.md).
SYNTHETIC_SNAPSHOT = FIXTURES / "snapshot"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project home: data/, reports/ and .cache/ go below it for this test."""
    monkeypatch.setenv("ANALYSIS_HOME", str(tmp_path))
    return tmp_path


@pytest.fixture
def real_snapshot() -> Path:
    """The real snapshot folder (``$ANALYSIS_SNAPSHOT``); skips the test when it is not set."""
    value = os.environ.get("ANALYSIS_SNAPSHOT")
    if not value or not Path(value, "MANIFEST.csv").exists():
        pytest.skip("ANALYSIS_SNAPSHOT is not set to a snapshot folder")
    return Path(value)
