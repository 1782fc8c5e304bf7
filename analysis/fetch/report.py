"""What a fetch did, file by file, and its human-readable summary."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

#: Above this many added/restored files, the summary counts them per source instead.
LIST_LIMIT = 10


@dataclass(frozen=True)
class Change:
    """A file whose bytes at the origin differ from the lock (``old_*`` None: not in the lock)."""

    path: str
    old_sha256: str | None
    new_sha256: str
    old_size: int | None
    new_size: int
    origin: str

    def describe(self) -> str:
        new = f"{_sha(self.new_sha256)} ({self.new_size:,} B)"
        if self.old_sha256 is None:
            return f"{self.path}: new upstream file, sha {new}, not in the lock"
        return f"{self.path}: sha {_sha(self.old_sha256)} ({self.old_size or 0:,} B) → {new}"


@dataclass(frozen=True)
class Failure:
    """A download or file that could not be fetched, and why."""

    source_id: str
    what: str  #: the raw path(s) or URL concerned
    reason: str


@dataclass
class FetchReport:
    """Outcome of :func:`analysis.fetch.fetch.fetch`.

    ``ok`` is False when anything differs from the lock without ``--update`` (``changed``), a
    download failed (``failed``), or a locked file is neither offered by the origin nor present
    in data/raw (``missing``): the command then exits with ``ExitCode.FETCH``. Changed files are
    never written without ``--update``; the locked raw file stays as it was.
    """

    origin: str  #: "snapshot <dir>" or "upstream"
    added: list[str] = field(default_factory=list)  #: new files, written and locked
    unchanged: list[str] = field(default_factory=list)  #: same bytes as the lock
    restored: list[str] = field(default_factory=list)  #: raw copy missing/altered, rewritten
    changed: list[Change] = field(default_factory=list)  #: differ from the lock, NOT written
    updated: list[Change] = field(default_factory=list)  #: differed, accepted with --update
    kept: list[str] = field(default_factory=list)  #: no longer offered; locked raw copy kept
    missing: list[str] = field(default_factory=list)  #: locked, not offered, not in data/raw
    skipped: list[str] = field(default_factory=list)  #: in the snapshot, claimed by no source
    failed: list[Failure] = field(default_factory=list)
    lock_written: bool = False
    seconds: float = 0.0
    bytes_written: int = 0

    @property
    def ok(self) -> bool:
        """True when data/raw now holds exactly what the lock describes, with nothing pending."""
        return not (self.changed or self.failed or self.missing)

    @property
    def nothing_changed(self) -> bool:
        """True when this run wrote nothing at all."""
        return self.ok and not (self.added or self.restored or self.updated or self.lock_written)

    def summary_lines(self) -> list[str]:
        """Human-readable lines: counts first, then one line per notable file."""
        lines = [f"Fetched from {self.origin} in {self.seconds:.1f} s."]
        if self.nothing_changed:
            lines.append(f"Nothing changed: {_files(len(self.unchanged))} match the lock.")
        else:
            counts = [
                (len(self.added), "added"),
                (len(self.restored), "restored into data/raw with their locked bytes"),
                (len(self.updated), "updated (--update)"),
                (len(self.unchanged), "unchanged"),
                (len(self.changed), "CHANGED since the lock, not accepted"),
                (len(self.failed), "FAILED"),
            ]
            lines += [f"{_files(n)} {what}" for n, what in counts if n]
        lines += _listed("ADDED", self.added)
        lines += _listed("RESTORED", self.restored)
        lines += [f"UPDATED {c.describe()}" for c in self.updated]
        lines += [f"CHANGED {c.describe()}; run with --update to accept" for c in self.changed]
        lines += [f"FAILED {f.what} ({f.source_id}): {f.reason}" for f in self.failed]
        lines += [
            f"MISSING {p}: in the lock, not offered by the origin, not in data/raw"
            for p in self.missing
        ]
        lines += [
            f"KEPT {p}: no longer offered by the origin; the locked copy stays" for p in self.kept
        ]
        lines += [f"SKIPPED {p}: matches no 'files' pattern in sources.toml" for p in self.skipped]
        if self.lock_written:
            lines.append("Lock file updated: sources.lock.json")
        if not self.ok:
            lines.append("Fetch NOT ok: data/raw does not match the lock (exit code 4).")
        return lines


def _listed(tag: str, paths: list[str]) -> list[str]:
    """One line per file when few, else one line per source folder."""
    if len(paths) <= LIST_LIMIT:
        return [f"{tag} {p}" for p in paths]
    per_source = Counter(p.split("/", 1)[0] for p in paths)
    return [f"{tag} {sid}/: {_files(n)}" for sid, n in sorted(per_source.items())]


def _sha(sha: str) -> str:
    return f"{sha[:8]}…"


def _files(n: int) -> str:
    return f"{n:,} file" + ("" if n == 1 else "s")
