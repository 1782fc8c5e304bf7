"""``analysis fetch``: bring every registered source into ``data/raw/<source-id>/...``.

Bytes come either from a local snapshot folder (``--snapshot DIR`` or ``$ANALYSIS_SNAPSHOT``,
laid out like ``../shared/mirror``) or from upstream over HTTPS (the downloads in
``sources.toml``). After the bytes arrive there is one code path, :meth:`_Run.accept`: compare
with the lock, write atomically into data/raw, update the lock.

Rules:

* a file not in the lock is added (written and locked) — except a *new* file from a live
  publisher endpoint for a source that is already locked (a new World Bank vintage): that waits
  for ``--update``, so an online fetch reproduces the locked set and nothing more;
* a file whose bytes equal the lock is left alone (its raw copy is rewritten if it went
  missing or was altered: "restored");
* a file whose bytes differ from the lock is reported (path, old and new sha256 and size) and NOT
  written unless ``update=True``; the report is then not ok (exit code FETCH). Online, the next
  download for the same path (the archived copy) may still restore the locked bytes;
* commit-pinned archive copies whose locked bytes are already in data/raw are not downloaded
  again (a pinned commit cannot change), so a second online run only asks live endpoints;
* only this module writes under data/raw, never in data/raw/ledgers/.
"""

from __future__ import annotations

import io
import json
import os
import stat
import time
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import filelock
from tqdm import tqdm

from analysis.atomic import clean_stale_temp, write_bytes
from analysis.config import SNAPSHOT_ENV, paths, snapshot_dir
from analysis.errors import BusyError, FetchError, UsageError
from analysis.fetch.http import HttpSettings, download, new_session, reachable
from analysis.fetch.lock import (
    SNAPSHOT_ORIGIN,
    LockEntry,
    load_lock,
    save_lock,
    sha256_bytes,
)
from analysis.fetch.registry import RESERVED_IDS, Download, Source, load_registry
from analysis.fetch.report import Change, Failure, FetchReport
from analysis.store import digest

OFFLINE_HINT = (
    f"offline? To fetch without a network, set {SNAPSHOT_ENV}=<folder> or pass --snapshot "
    "<folder> (a local copy laid out like ../shared/mirror)"
)


@dataclass(frozen=True)
class Arrival:
    """Bytes for one raw path, from one origin."""

    source_id: str
    path: str
    data: bytes
    origin: str
    live: bool  #: from a publisher endpoint that can change (not a snapshot or pinned archive)


def fetch(
    snapshot: Path | None = None,
    *,
    update: bool = False,
    only: Sequence[str] | None = None,
    progress: bool = True,
    http: HttpSettings | None = None,
) -> FetchReport:
    """Fetch the registered sources (all, or the ids in ``only``) into data/raw; update the lock.

    ``snapshot`` (else ``$ANALYSIS_SNAPSHOT``) selects snapshot mode; without one, downloads
    run over HTTPS and :class:`FetchError` is raised when no host can be reached. ``update``
    accepts changed and new upstream files. Paths come from :func:`analysis.config.paths`.
    """
    started = time.perf_counter()
    p = paths()
    sources = _select(load_registry(p.sources), only)
    snap = snapshot_dir(snapshot)
    if snap is not None and not snap.is_dir():
        raise FetchError(f"snapshot folder not found: {snap}")
    p.cache.mkdir(parents=True, exist_ok=True)
    try:
        with filelock.FileLock(p.fetch_lock, timeout=0):
            run = _Run(p.raw, load_lock(p.lock), update, f"snapshot {snap}" if snap else "upstream")
            _clean_temp(p.raw, sources)
            try:
                if snap is not None:
                    _from_snapshot(run, snap, sources, progress)
                else:
                    _from_upstream(run, sources, http or HttpSettings(), progress)
                run.close(sources)
            finally:
                run.report.lock_written = save_lock(run.lock, p.lock)
    except filelock.Timeout:
        raise BusyError(f"another 'analysis fetch' is running ({p.cache / 'fetch.lock'})") from None
    run.report.seconds = time.perf_counter() - started
    return run.report


@dataclass
class _Run:
    """State of one fetch: the lock being updated, what was seen, and the report."""

    raw: Path
    lock: dict[str, LockEntry]
    update: bool
    origin: str
    report: FetchReport = field(init=False)
    locked_sources: set[str] = field(init=False)
    settled: set[str] = field(default_factory=set)  #: outcome final for this run
    pending: set[str] = field(default_factory=set)  #: reported as changed
    failed_sources: set[str] = field(default_factory=set)
    _raw_sha: dict[str, str | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.report = FetchReport(origin=self.origin)
        self.locked_sources = {e.source_id for e in self.lock.values()}

    def accept(self, a: Arrival) -> None:
        """The single path after bytes arrive: verify against the lock, write, lock."""
        if a.path in self.settled:
            return
        _check_target(a)
        sha, size = sha256_bytes(a.data), len(a.data)
        old = self.lock.get(a.path)
        if old is not None and old.sha256 == sha:
            if self.raw_sha(a.path) == sha:
                self._settle(a.path, self.report.unchanged)
            else:
                self._write(a)
                self._settle(a.path, self.report.restored)
            return
        if a.path in self.pending:
            return  # already reported as changed; this origin does not give the locked bytes either
        change = Change(
            a.path, old.sha256 if old else None, sha, old.size if old else None, size, a.origin
        )
        held_back = old is not None or (a.live and a.source_id in self.locked_sources)
        if held_back and not self.update:
            self.pending.add(a.path)
            self.report.changed.append(change)
            return
        problem = implausible(a.path, a.data)
        if problem:  # the last good raw file and its lock entry stay
            self.fail(a.source_id, a.path, f"refused new bytes ({size} B): {problem}")
            self.settled.add(a.path)
            return
        self._write(a)
        self.lock[a.path] = LockEntry(
            a.source_id, a.path, sha, size, a.origin, date.today().isoformat()
        )
        if old is None:
            self._settle(a.path, self.report.added)
        else:
            self.settled.add(a.path)
            self.report.updated.append(change)

    def verified(self, path: str) -> bool:
        """True if data/raw holds the locked bytes of ``path``."""
        entry = self.lock.get(path)
        return entry is not None and self.raw_sha(path) == entry.sha256

    def skip_verified(self, targets: Iterable[str]) -> None:
        """Count targets whose locked bytes are already in data/raw as unchanged."""
        for t in targets:
            if t not in self.settled and t not in self.pending:
                self._settle(t, self.report.unchanged)

    def raw_sha(self, path: str) -> str | None:
        if path not in self._raw_sha:
            self._raw_sha[path] = digest(self.raw / path)
        return self._raw_sha[path]

    def fail(self, source_id: str, what: str, reason: str) -> None:
        self.failed_sources.add(source_id)
        self.report.failed.append(Failure(source_id, what, reason))

    def close(self, sources: Iterable[Source]) -> None:
        """Report locked files of the fetched sources that no origin offered this run."""
        ids = {s.id for s in sources} - self.failed_sources
        seen = self.settled | self.pending
        for path, entry in sorted(self.lock.items()):
            if entry.source_id in ids and path not in seen:
                (self.report.kept if self.verified(path) else self.report.missing).append(path)

    def _settle(self, path: str, bucket: list[str]) -> None:
        self.settled.add(path)
        bucket.append(path)

    def _write(self, a: Arrival) -> None:
        write_bytes(self.raw / a.path, a.data)
        self._raw_sha[a.path] = sha256_bytes(a.data)
        self.report.bytes_written += len(a.data)


def _from_snapshot(run: _Run, snap: Path, sources: list[Source], progress: bool) -> None:
    """Every file below ``<snap>/<source-id>/`` that the source's patterns claim."""
    found = [(s, f) for s in sources for f in _walk(snap / s.id)]
    for source, file in tqdm(found, desc="snapshot", unit="file", disable=not progress):
        rel = file.relative_to(snap).as_posix()
        if not source.matches(rel):
            run.report.skipped.append(rel)
            continue
        odd = _not_a_regular_file(file)
        if odd:
            run.fail(source.id, rel, f"refused: {file} is {odd}; a snapshot holds regular files")
            continue
        try:
            data = file.read_bytes()
        except OSError as exc:
            run.fail(source.id, rel, f"cannot read {file}: {exc.strerror or exc}")
            continue
        run.accept(Arrival(source.id, rel, data, SNAPSHOT_ORIGIN + rel, live=False))


def _from_upstream(
    run: _Run, sources: list[Source], settings: HttpSettings, progress: bool
) -> None:
    """Each download in registry order; a path is settled by the first that satisfies it."""
    jobs = [(s, d) for s in sources for d in s.downloads]
    session = new_session(settings)
    hosts = {_host(d.url): d.url for _, d in jobs if not _skippable(run, d)}
    up = {host: reachable(session, url, settings) for host, url in hosts.items()}
    if up and not any(up.values()):
        raise FetchError(f"cannot reach {', '.join(sorted(up))}: {OFFLINE_HINT}")
    bodies: dict[str, bytes] = {}
    for source, d in tqdm(jobs, desc="downloads", unit="url", disable=not progress):
        targets = d.targets()
        if _skippable(run, d):
            run.skip_verified(targets or ())
            continue
        what = ", ".join(targets) if targets else f"{d.to}[{', '.join(d.unzip)}]"
        if not up.get(_host(d.url), False):
            run.fail(source.id, what, f"cannot reach {_host(d.url)} ({d.url})")
            continue
        try:
            body = bodies.get(d.url) or download(
                session, d.url, settings, label=what, progress=progress
            )
            if d.member:  # several downloads may take members of one zip: fetch it once
                bodies[d.url] = body
            arrivals = _unpack(source, d, body)
        except FetchError as exc:
            run.fail(source.id, what, f"{exc} ({d.url})")
            continue
        for arrival in arrivals:
            run.accept(arrival)


def _skippable(run: _Run, d: Download) -> bool:
    """No download needed: every target is settled, or pinned and already verified in raw."""
    targets = d.targets()
    if targets is None:
        return False
    return all(t in run.settled or (d.pinned and run.verified(t)) for t in targets)


def _unpack(source: Source, d: Download, body: bytes) -> list[Arrival]:
    """The file(s) a download provides: the body itself, one zip member, or matching members."""
    live = not d.pinned
    if not d.member and not d.unzip:
        return [Arrival(source.id, d.to, body, d.origin(), live)]
    try:
        zf = zipfile.ZipFile(io.BytesIO(body))
    except zipfile.BadZipFile:
        raise FetchError(f"not a zip file ({len(body):,} B starting {body[:32]!r})") from None
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        if d.member:
            picked = [(i, d.to) for i in infos if i.filename == d.member]
        else:
            picked = [
                (i, d.to + PurePosixPath(i.filename).name)
                for i in infos
                if any(fnmatchcase(PurePosixPath(i.filename).name, p) for p in d.unzip)
            ]
        if not picked:
            wanted = d.member or ", ".join(d.unzip)
            raise FetchError(f"zip has no member matching {wanted}")
        stray = [path for _, path in picked if not source.matches(path)]
        if stray:
            raise FetchError(f"zip members {stray} match none of the source's 'files' patterns")
        return [
            Arrival(source.id, path, zf.read(i), d.origin(i.filename), live) for i, path in picked
        ]


#: What the first bytes of each binary family must be (.xlsx is a zip). Not ``.xls``: IMF
#: WEO's ``.xls`` is tab-separated text.
_MAGIC = {
    ".xlsx": b"PK\x03\x04",
    ".zip": b"PK\x03\x04",
    ".xls": b"\xd0\xcf\x11\xe0",
    ".pdf": b"%PDF",
}


def implausible(path: str, data: bytes) -> str | None:
    """Why ``data`` cannot be a good copy of ``path`` (empty; not its family's format: a workbook
    without its signature, JSON that does not parse, CSV that is binary), or None. A cheap
    check before new bytes replace the last good raw file; the cleaner's checks come later."""
    if not data.strip():
        return "the file is empty"
    suffix = PurePosixPath(path).suffix.lower()
    if suffix in _MAGIC:
        return None if data.startswith(_MAGIC[suffix]) else f"not a {suffix} file"
    if suffix == ".json":
        try:
            json.loads(data)
        except ValueError as err:
            return f"not JSON ({err})"
    if suffix == ".csv":
        head = data[:65536]
        if b"\x00" in head:
            return "not CSV: binary bytes (NUL) in the first 64 KiB"
        try:
            head.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            if err.start < len(head) - 4:  # not merely a character cut at the 64 KiB mark
                try:
                    head.decode("cp1252")
                except UnicodeDecodeError:
                    return "not CSV: not text"
    return None


def _walk(folder: Path) -> list[Path]:
    """Entries below ``folder`` other than real folders (files, and also links and special
    files, for :func:`_from_snapshot` to refuse), sorted, without hidden ones."""
    if not folder.is_dir():
        return []
    return sorted(
        f
        for f in folder.rglob("*")
        if (f.is_symlink() or not f.is_dir())
        and not any(part.startswith(".") for part in f.relative_to(folder).parts)
    )


def _not_a_regular_file(path: Path) -> str | None:
    """What ``path`` is when it is not a regular file (a link, a FIFO, a device...), or None."""
    if path.is_symlink():
        return f"a symbolic link (to {os.readlink(path)})"
    mode = path.lstat().st_mode
    return None if stat.S_ISREG(mode) else "a special file (not a regular file)"


def _select(registry: dict[str, Source], only: Sequence[str] | None) -> list[Source]:
    if not only:
        return list(registry.values())
    unknown = [i for i in only if i not in registry]
    if unknown:
        raise UsageError(f"unknown source id(s) {unknown}; known: {', '.join(registry)}")
    return [registry[i] for i in dict.fromkeys(only)]


def _check_target(a: Arrival) -> None:
    """Refuse a raw path outside ``<source-id>/`` (and so never below ledgers/)."""
    parts = PurePosixPath(a.path).parts
    if (
        len(parts) < 2
        or parts[0] != a.source_id
        or parts[0] in RESERVED_IDS
        or any(p in ("", ".", "..") for p in parts)
    ):
        raise FetchError(f"refusing to write {a.path!r} for source {a.source_id!r}")


def _clean_temp(raw: Path, sources: Iterable[Source]) -> None:
    """Remove temporary files a killed fetch left beside raw files."""
    for source in sources:
        folder = raw / source.id
        if folder.is_dir():
            for sub in (folder, *(d for d in folder.rglob("*") if d.is_dir())):
                clean_stale_temp(sub)


def _host(url: str) -> str:
    return urlsplit(url).netloc
