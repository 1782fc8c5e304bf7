"""The source registry: the committed sources.toml, and the checks on a malformed one."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.config import REPO_ROOT
from analysis.fetch.registry import (
    GITHUB_RAW,
    RegistryError,
    load_registry,
    match_pattern,
    source_for_path,
)

REPO_REGISTRY = REPO_ROOT / "sources.toml"
SOURCE_IDS = {
    "worldbank", "datahub-inflation", "datahub-gdp", "datahub-cpi-us", "eia-oil-prices", "sipri",
    "imf-weo", "energy-institute", "owid-oil-production", "bonbast", "tgju", "iran-sci-cpi",
    "signalmap", "eia-intl", "eu-coir",
}  # fmt: skip
HEADER = """
[sources.demo]
title = "Demo (synthetic)"
producer = "synthetic"
url = "https://example.invalid/"
license = "synthetic"
citation = "synthetic"
files = ["demo/*.csv", "demo/[0-9][0-9][0-9][0-9]/full.json"]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(text)
    return path


def test_committed_registry_covers_every_source_with_provenance() -> None:
    registry = load_registry(REPO_REGISTRY)

    assert set(registry) == SOURCE_IDS
    for source in registry.values():
        assert source.title and source.producer and source.license and source.citation
        assert source.downloads, source.id
        assert all(d.url.startswith("https://") for d in source.downloads)
        assert all(d.to.startswith(f"{source.id}/") for d in source.downloads)
    assert len(registry["bonbast"].downloads) == 28  # 2012..2025 and 1391..1404
    worldbank_live = [d for d in registry["worldbank"].downloads if not d.pinned]
    assert {d.url.split("/indicator/")[1].split("?")[0] for d in worldbank_live} >= {
        "PA.NUS.FCRF", "MS.MIL.XPND.GD.ZS", "NY.GDP.MKTP.CD",
    }  # fmt: skip
    assert registry["tgju"].archive == (
        "kooroshkz/Dollar-Rial-Toman-Live-Price-Dataset@57f59f642054f9902ef7f125579fa6bf8e5e329e",
        "kooroshkz/Dollar-Rial-Toman-Live-Price-Dataset@b9e5be7872368bc3fd535373f9b5a4b7384c0685",
        "BaseMax/USD-Nima-Iran-Rate-Crawler@cac6e21aae726b8a7d39a580136606ee2d91a920",
    )


@pytest.mark.parametrize(
    ("rel_path", "source_id"),
    [
        ("worldbank/API_PA.NUS.FCRF_DS2_en_csv_v2_22859.csv", "worldbank"),
        ("worldbank/API_NEW.CODE_DS2_en_csv_v2_1.csv", "worldbank"),
        ("worldbank/Metadata_Country_API_NEW.CODE_DS2_en_csv_v2_1.csv", "worldbank"),
        ("bonbast/jalali/1405/full.json", "bonbast"),
        ("eia-oil-prices/brent-day.xls", "eia-oil-prices"),
        ("ledgers/claims.csv", None),
        ("bonbast/jalali/1405/extra/full.json", None),
        ("worldbank/notes.txt", None),
    ],
)
def test_source_for_path(rel_path: str, source_id: str | None) -> None:
    source = source_for_path(rel_path, load_registry(REPO_REGISTRY))
    assert (source.id if source else None) == source_id


def test_star_never_crosses_a_folder() -> None:
    assert match_pattern("a/b.csv", "a/*.csv")
    assert not match_pattern("a/x/b.csv", "a/*.csv")
    assert not match_pattern("A/b.csv", "a/*.csv")


def test_vary_expands_ranges_lists_and_github_urls(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER
        + """
[[sources.demo.downloads]]
github = "someone/archive@0123456789abcdef0123456789abcdef01234567:y/{year}/full"
to = "demo/{year}/full.json"
vary = { year = "2019..2021" }

[[sources.demo.downloads]]
url = "https://example.invalid/{kind}.zip"
unzip = ["{kind}_*.csv"]
to = "demo/"
vary = { kind = ["a", "b"] }
""",
    )
    demo = load_registry(path)["demo"]

    assert [d.to for d in demo.downloads] == [
        "demo/2019/full.json", "demo/2020/full.json", "demo/2021/full.json", "demo/", "demo/",
    ]  # fmt: skip
    first = demo.downloads[0]
    assert first.url == f"{GITHUB_RAW}/someone/archive/{'0123456789abcdef' * 2}01234567/y/2019/full"
    assert first.pinned and first.targets() == ("demo/2019/full.json",)
    assert demo.downloads[3].unzip == ("a_*.csv",) and demo.downloads[3].targets() is None
    assert demo.archive == ("someone/archive@0123456789abcdef0123456789abcdef01234567",)


def test_zip_member_download(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER + '[[sources.demo.downloads]]\nurl = "https://e.invalid/x.zip!/in/a.csv"\n'
        'to = "demo/a.csv"\n',
    )
    (d,) = load_registry(path)["demo"].downloads
    assert (d.url, d.member, d.origin()) == (
        "https://e.invalid/x.zip", "in/a.csv", "https://e.invalid/x.zip!/in/a.csv",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("download", "message"),
    [
        ('url = "http://e.invalid/a.csv"\nto = "demo/a.csv"', "only https"),
        ('url = "ftp://e.invalid/a.csv"\nto = "demo/a.csv"', "only https"),
        ('github = "o/r@main:a.csv"\nto = "demo/a.csv"', "40 hex commit"),
        ('url = "https://e.invalid/a.csv"\nto = "other/a.csv"', "below 'demo/'"),
        ('url = "https://e.invalid/a.csv"\nto = "demo/../ledgers/a.csv"', "below 'demo/'"),
        ('url = "https://e.invalid/a.txt"\nto = "demo/a.txt"', "matches none"),
        ('url = "https://e.invalid/a.csv"\ngithub = "o/r@x:a"\nto = "demo/a.csv"', "exactly one"),
        ('url = "https://e.invalid/{y}.csv"\nto = "demo/a.csv"', "cannot fill"),
        ('url = "https://e.invalid/a.zip"\nunzip = ["*.csv"]\nto = "demo/a.csv"', "folder"),
        ('url = "https://e.invalid/a.csv"\nto = "demo/a.csv"\nmirror = "x"', "unknown field"),
    ],
)
def test_malformed_download_is_rejected(tmp_path: Path, download: str, message: str) -> None:
    path = write(tmp_path, HEADER + "[[sources.demo.downloads]]\n" + download + "\n")
    with pytest.raises(RegistryError, match=message):
        load_registry(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (HEADER.replace('title = "Demo (synthetic)"\n', ""), "title: required"),
        (HEADER.replace("[sources.demo]", "[sources.ledgers]"), "bad source id"),
        (HEADER, "at least one"),
        ("[sources]\n", "no \\[sources"),
        ("not toml = = =", "not valid TOML"),
    ],
)
def test_malformed_source_is_rejected(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(RegistryError, match=message):
        load_registry(write(tmp_path, text))


def test_missing_registry_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="not found"):
        load_registry(tmp_path / "sources.toml")
