"""The source registry (``sources.toml``): who publishes each raw file, under which licence, and
how to get its bytes again.

One entry per upstream source, keyed by the source id (the top-level folder under ``data/raw``
and in a snapshot). An entry names the *family* of files it provides as glob patterns
(``files``), so a new World Bank indicator or a new bonbast year found in a snapshot is picked up
without a code change, and lists its ``downloads``:

* ``url = "https://..."`` — the publisher's own endpoint (World Bank API, EIA ``.xls``). It can
  change at any time: a new vintage is reported against the lock and accepted with ``--update``.
* ``github = "owner/repo@<40-hex commit>:path"`` — the same bytes at a pinned commit of the public
  repository that archives them (``https://raw.githubusercontent.com/...``); immutable.

Either may end in ``!/<member>`` (one member of a zip), or the download may set ``unzip`` (member
patterns) with ``to`` a folder ending in ``/``. ``vary = { name = [...] }`` or ``"A..B"`` (an
integer range) repeats the download for each value, filling ``{name}`` in ``url``/``github``/
``to``/``unzip``. Several downloads may target one path: the first that gives the locked bytes
wins (a live endpoint first, its archived copy as the fallback).
"""

from __future__ import annotations

import fnmatch
import itertools
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote, urlsplit

from analysis.config import paths
from analysis.errors import FetchError

#: Where ``github = "owner/repo@commit:path"`` downloads are served from (tests point it at a
#: local server).
GITHUB_RAW = "https://raw.githubusercontent.com"
#: Folder under data/raw that people edit; never a source id, never written by fetch.
RESERVED_IDS = frozenset({"ledgers"})
SOURCE_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
GITHUB_SPEC = re.compile(r"^(?P<repo>[\w.-]+/[\w.-]+)@(?P<commit>[0-9a-f]{40}):(?P<path>[^!]+)$")
RANGE = re.compile(r"^(?P<lo>-?\d+)\.\.(?P<hi>-?\d+)$")
REQUIRED_TEXT = ("title", "producer", "url", "license", "citation")
DOWNLOAD_KEYS = frozenset({"url", "github", "to", "unzip", "vary", "note"})
SOURCE_KEYS = frozenset({*REQUIRED_TEXT, "date_published", "files", "downloads", "notes"})


class RegistryError(FetchError):
    """``sources.toml`` is malformed; the message names the entry and the field."""


@dataclass(frozen=True)
class Download:
    """One way to get one file (or the matching members of one zip) from upstream."""

    url: str  #: https URL of the body
    to: str  #: path under data/raw; a folder ending in "/" when ``unzip`` is set
    member: str | None = None  #: the zip member to extract (``...zip!/member``)
    unzip: tuple[str, ...] = ()  #: member patterns to extract into the folder ``to``
    archive: str | None = None  #: "owner/repo@commit:path" when served by an archive repo
    note: str = ""

    @property
    def pinned(self) -> bool:
        """True for a commit-pinned archive copy: the bytes can never change."""
        return self.archive is not None

    def origin(self, member: str | None = None) -> str:
        """The origin recorded in the lock for the file taken from this download."""
        name = member or self.member
        return f"{self.url}!/{name}" if name else self.url

    def targets(self) -> tuple[str, ...] | None:
        """The raw paths this download writes, or None when only the zip's listing tells."""
        if not self.unzip:
            return (self.to,)
        if any(_is_glob(p) for p in self.unzip):
            return None
        return tuple(self.to + p for p in self.unzip)


@dataclass(frozen=True)
class Source:
    """One upstream source: provenance for reports, file patterns, and downloads."""

    id: str
    title: str
    producer: str
    url: str  #: the publisher's main page
    license: str
    citation: str
    date_published: str | None
    files: tuple[str, ...]  #: patterns relative to data/raw, e.g. "worldbank/API_*_DS2_*.csv"
    downloads: tuple[Download, ...]
    archive: tuple[str, ...]  #: "owner/repo@commit" of every archive repo used
    notes: str = ""

    def matches(self, rel_path: str) -> bool:
        """True if ``rel_path`` (relative to data/raw) belongs to this source's family."""
        return any(match_pattern(rel_path, p) for p in self.files)


def match_pattern(rel_path: str, pattern: str) -> bool:
    """Glob match segment by segment (``*`` never crosses a ``/``), case-sensitive."""
    parts, pats = PurePosixPath(rel_path).parts, PurePosixPath(pattern).parts
    return len(parts) == len(pats) and all(map(fnmatch.fnmatchcase, parts, pats))


def load_registry(path: Path | None = None) -> dict[str, Source]:
    """Read and check ``sources.toml`` (default: ``paths().sources``); sources keyed by id."""
    path = path or paths().sources
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise RegistryError(f"source registry not found: {path}") from None
    return dict(_load_cached(str(path), stat.st_mtime_ns, stat.st_size, GITHUB_RAW))


def source_for_path(rel_path: str, registry: Mapping[str, Source] | None = None) -> Source | None:
    """The source whose file patterns claim ``rel_path`` (e.g. "worldbank/API_X.csv"), if any."""
    registry = load_registry() if registry is None else registry
    return next((s for s in registry.values() if s.matches(rel_path)), None)


@lru_cache(maxsize=8)
def _load_cached(
    path: str, _mtime: int, _size: int, _github: str
) -> tuple[tuple[str, Source], ...]:
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"{path}: not valid TOML: {exc}") from None
    table = data.get("sources")
    if not isinstance(table, dict) or not table:
        raise RegistryError(f"{path}: no [sources.<id>] tables")
    return tuple((sid, _source(sid, entry)) for sid, entry in table.items())


def _source(sid: str, entry: Any) -> Source:
    where = f"sources.{sid}"
    if not SOURCE_ID.match(sid) or sid in RESERVED_IDS:
        raise RegistryError(f"{where}: bad source id (lower-case, digits and '-'; not 'ledgers')")
    if not isinstance(entry, dict):
        raise RegistryError(f"{where}: must be a table")
    if unknown := set(entry) - SOURCE_KEYS:
        raise RegistryError(f"{where}: unknown field(s) {sorted(unknown)}")
    text = {k: _text(entry, k, where) for k in REQUIRED_TEXT}
    files = _str_list(entry.get("files"), f"{where}.files")
    if not files or any(PurePosixPath(f).parts[0] != sid for f in files):
        raise RegistryError(f"{where}.files: give patterns below '{sid}/'")
    raw_downloads = entry.get("downloads", [])
    if not isinstance(raw_downloads, list) or not raw_downloads:
        raise RegistryError(f"{where}: needs at least one [[{where}.downloads]]")
    downloads = tuple(
        d
        for i, spec in enumerate(raw_downloads)
        for d in _downloads(spec, f"{where}.downloads[{i}]", sid, files)
    )
    archives = dict.fromkeys(d.archive.split(":", 1)[0] for d in downloads if d.archive)
    published = entry.get("date_published")
    if published is not None and not isinstance(published, str):
        raise RegistryError(f"{where}.date_published: must be a string")
    return Source(
        id=sid,
        **text,
        date_published=published,
        files=tuple(files),
        downloads=downloads,
        archive=tuple(archives),
        notes=str(entry.get("notes", "")),
    )


def _downloads(spec: Any, where: str, sid: str, files: list[str]) -> list[Download]:
    if not isinstance(spec, dict):
        raise RegistryError(f"{where}: must be a table")
    if unknown := set(spec) - DOWNLOAD_KEYS:
        raise RegistryError(f"{where}: unknown field(s) {sorted(unknown)}")
    if ("url" in spec) == ("github" in spec):
        raise RegistryError(f"{where}: give exactly one of 'url' or 'github'")
    fixed = {k: v for k, v in spec.items() if k != "vary"}
    return [
        _download({k: _fill(v, values, where) for k, v in fixed.items()}, where, sid, files)
        for values in _variants(spec.get("vary", {}), where)
    ]


def _download(spec: dict[str, Any], where: str, sid: str, files: list[str]) -> Download:
    to = _text(spec, "to", where)
    unzip = tuple(_str_list(spec.get("unzip", []), f"{where}.unzip"))
    text = spec["github"] if "github" in spec else spec["url"]
    body, _, member = text.partition("!/")
    archive = None
    if "github" in spec:
        m = GITHUB_SPEC.match(body)
        if not m:
            raise RegistryError(
                f"{where}.github: expected 'owner/repo@<40 hex commit>:path', got {text!r}"
            )
        body = f"{GITHUB_RAW}/{m['repo']}/{m['commit']}/{quote(m['path'], safe='/')}"
        archive = text
    url = body
    require_https(url, where, RegistryError)
    _check_target(to, unzip, member, where, sid, files)
    return Download(
        url=url,
        to=to,
        member=member or None,
        unzip=unzip,
        archive=archive,
        note=str(spec.get("note", "")),
    )


def require_https(url: str, where: str = "", error: type[FetchError] = FetchError) -> None:
    """Refuse anything but an https URL with a host (plain http, file:, ftp: ...)."""
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        prefix = f"{where}: " if where else ""
        raise error(f"{prefix}only https:// URLs are fetched, refusing {url!r}")


def _check_target(
    to: str, unzip: tuple[str, ...], member: str, where: str, sid: str, files: list[str]
) -> None:
    parts, is_folder = PurePosixPath(to).parts, bool(unzip)
    if not parts or parts[0] != sid or ".." in parts or to.startswith("/"):
        raise RegistryError(f"{where}.to: must be a path below '{sid}/', got {to!r}")
    if is_folder != to.endswith("/") or (is_folder and member):
        raise RegistryError(f"{where}: 'unzip' needs 'to' = a folder ending in '/', and no '!/'")
    targets = [to + m for m in unzip if not _is_glob(m)] if is_folder else [to]
    for target in targets:
        if not any(match_pattern(target, p) for p in files):
            raise RegistryError(f"{where}: {target!r} matches none of the 'files' patterns")


def _variants(vary: Any, where: str) -> list[dict[str, str]]:
    if not isinstance(vary, dict):
        raise RegistryError(f"{where}.vary: must be a table of name = [values] or 'A..B'")
    names = list(vary)
    values = [_vary_values(vary[n], f"{where}.vary.{n}") for n in names]
    return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*values)]


def _vary_values(value: Any, where: str) -> list[str]:
    if isinstance(value, str) and (m := RANGE.match(value)):
        return [str(i) for i in range(int(m["lo"]), int(m["hi"]) + 1)]
    values = _str_list(value, where)
    if not values:
        raise RegistryError(f"{where}: give a non-empty list or an 'A..B' range")
    return values


def _fill(value: Any, values: Mapping[str, str], where: str) -> Any:
    if isinstance(value, list):
        return [_fill(v, values, where) for v in value]
    if not isinstance(value, str):
        return value
    try:
        return value.format_map(values)
    except (KeyError, ValueError) as exc:
        raise RegistryError(f"{where}: cannot fill {value!r}: {exc!r} (see 'vary')") from None


def _text(entry: Mapping[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise RegistryError(f"{where}.{key}: required, a non-empty string")
    return value


def _str_list(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise RegistryError(f"{where}: must be a list of non-empty strings")
    return list(value)


def _is_glob(pattern: str) -> bool:
    return any(c in pattern for c in "*?[")
