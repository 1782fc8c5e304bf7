"""Country names and codes: every source's spelling → ISO 3166 alpha-3 and one short name.

Names go through ``country_converter`` (regular expressions kept by its maintainers); the few
spellings it gets wrong or cannot know are fixed by the constants below, each with its reason.
Its table is read here (:func:`_country_data`), not by country_converter itself, whose own read
fails on pandas 3 (see there).
Work is done once per distinct name, so a long table costs no more than its list of countries.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.clean.base import reading

#: World Bank aggregate codes (regions, income groups, lending groups, ``WLD``...) for files
#: without a ``Metadata_Country`` side file. Taken from the side files of the 2023 and 2026
#: downloads (blank ``Region``), plus ``INX`` ("Not classified") found in the 2017/2018 files.
# fmt: off
WB_AGGREGATE_CODES: frozenset[str] = frozenset({
    "AFE", "AFW", "ARB", "CEB", "CSS", "EAP", "EAR", "EAS", "ECA", "ECS", "EMU", "EUU", "FCS",
    "HIC", "HPC", "IBD", "IBT", "IDA", "IDB", "IDX", "INX", "LAC", "LCN", "LDC", "LIC", "LMC",
    "LMY", "LTE", "MEA", "MIC", "MNA", "NAC", "OED", "OSS", "PRE", "PSS", "PST", "SAS", "SSA",
    "SSF", "SST", "TEA", "TEC", "TLA", "TMN", "TSA", "TSS", "UMC", "WLD",
})
# fmt: on

#: Codes sources write that are not the ISO code of the territory.
CODE_FIXES: dict[str, str] = {
    "WBG": "PSE",  # IMF WEO writes West Bank and Gaza as WBG; ISO 3166 (and the World Bank): PSE
    "UVK": "XKX",  # IMF WEO's Kosovo; the World Bank and country_converter use XKX
    "OWID_KOS": "XKX",  # Our World in Data's own codes for entities without an ISO code
    "OWID_USS": "SUN",
    "OWID_CZS": "CSK",
    "OWID_YGS": "YUG",
}

#: Historic states (ISO 3166-3 codes) — country_converter maps some of them to a successor
#: (e.g. "Czechoslovakia" → CZE), which would put two countries under one code.
HISTORIC: dict[str, tuple[str, str]] = {
    # name as the sources write it → (code, short name)
    "USSR": ("SUN", "USSR"),
    "Czechoslovakia": ("CSK", "Czechoslovakia"),
    "German Democratic Republic": ("DDR", "East Germany"),
    "Yugoslavia": ("YUG", "Yugoslavia"),
}
#: Spellings country_converter does not map (or maps to the wrong country).
NAME_FIXES: dict[str, str] = {
    # SIPRI: the Yemen Arab Republic (North Yemen, to 1990) held ISO code YEM, kept by unified
    # Yemen; SIPRI's two rows never overlap in years (North Yemen is "xxx" from 1990).
    "Yemen, North": "YEM",
}
_HISTORIC_NAMES = {code: name for code, name in HISTORIC.values()}

#: Footnote marks some sources append to names ("European Union #", "Republic of Congo ").
_NAME_NOISE = re.compile(r"[\s#*^♦†‡§¶‖]+$")


def clean_name(name: object) -> str:
    """A source's country label without surrounding spaces and trailing footnote marks."""
    return _NAME_NOISE.sub("", str(name)).strip()


#: country_converter's table columns it reads as whole numbers (nullable), as its own loader does.
_COCO_INT_COLUMNS = (
    "ISOnumeric", "UNcode", "FAOcode", "GBDcode", "EURO", "UN", "UNmember", "obsolete", "GEOnumeric"
)  # fmt: skip


def _country_data(path: Path) -> pd.DataFrame:
    """country_converter's ``country_data.tsv`` with every text cell kept as written.

    Only empty cells are missing: pandas 3 reads Namibia's ISO2 code ``NA`` as a missing value
    through country_converter's own ``read_csv`` call, whose regular expressions then fail to
    compile (``TypeError: first argument must be string``). Read as text here, the table is the
    same on pandas 2 and 3.
    """
    data = pd.read_csv(path, sep="\t", encoding="utf-8", keep_default_na=False, na_values=[""])
    return data.astype({c: "Int64" for c in _COCO_INT_COLUMNS if c in data.columns})


@lru_cache(maxsize=1)
def _converter() -> Any:
    import country_converter as coco

    # country_converter logs one warning per unknown name; unknown names are reported by the
    # loaders (quarantine), so its own messages are noise here.
    logging.getLogger("country_converter").setLevel(logging.ERROR)
    logging.getLogger(coco.country_converter.__name__).setLevel(logging.ERROR)
    table = Path(coco.country_converter.COUNTRY_DATA_FILE)
    return coco.CountryConverter(country_data=_country_data(table))


#: country_converter answers, by (source format, target format, text); one batch call per
#: table is much faster than one call per name.
_CACHE: dict[tuple[str, str, str], str | None] = {}


def _prime(texts: list[str], src: str, to: str) -> None:
    """Ask country_converter once about every text not yet in :data:`_CACHE`."""
    todo = sorted({t for t in texts if (src, to, t) not in _CACHE})
    if not todo:
        return
    answers = _converter().convert(todo, src=src, to=to, not_found=None)
    if isinstance(answers, str) or answers is None:
        answers = [answers]
    for text, answer in zip(todo, answers, strict=True):
        _CACHE[(src, to, text)] = answer if isinstance(answer, str) else None


def _name_to_iso3(name: str) -> str | None:
    if name in HISTORIC:
        return HISTORIC[name][0]
    if name in NAME_FIXES:
        return NAME_FIXES[name]
    _prime([name], "regex", "ISO3")
    out = _CACHE[("regex", "ISO3", name)]
    return out if out is not None and re.fullmatch(r"[A-Z]{3}", out) else None


@lru_cache(maxsize=1)
def _short_names_table() -> dict[str, str]:
    data = _converter().data
    return {str(k): str(v) for k, v in zip(data["ISO3"], data["name_short"], strict=True)}


def _short_name(code: str) -> str | None:
    if code in _HISTORIC_NAMES:
        return _HISTORIC_NAMES[code]
    return _short_names_table().get(code)


def iso3_from_names(names: pd.Series) -> pd.Series:
    """ISO alpha-3 code for each name (``None`` where the name is not a known country).

    >>> iso3_from_names(pd.Series(["Iran", "West Bank and Gaza", "Czechoslovakia"])).tolist()
    ['IRN', 'PSE', 'CSK']
    """
    raw = names.astype(str)
    cleaned = {n: clean_name(n) for n in raw.unique()}
    _prime(list(set(cleaned.values())), "regex", "ISO3")
    codes = raw.map({n: _name_to_iso3(c) for n, c in cleaned.items()})
    return codes.astype(object).where(codes.notna(), None)  # pandas 3's str map gives NaN


def fix_codes(codes: pd.Series) -> pd.Series:
    """Replace the non-ISO codes some sources use (:data:`CODE_FIXES`); others unchanged."""
    return codes.replace(CODE_FIXES)


def short_names(codes: pd.Series, fallback: pd.Series) -> pd.Series:
    """One short English name per code (country_converter's ``name_short``).

    Codes it does not know (World Bank aggregates such as ``MEA``, ``CHI`` Channel Islands)
    keep the source's own name from ``fallback``.
    """
    table = {c: _short_name(c) for c in codes.unique()}
    named = codes.map(table)
    fallback = fallback.astype(str)
    return named.where(named.notna(), fallback.map({n: clean_name(n) for n in fallback.unique()}))


def wb_metadata_aggregates(raw_dir: Path) -> tuple[frozenset[str], frozenset[str]]:
    """(aggregate codes, all codes) listed by the World Bank ``Metadata_Country`` side files.

    An aggregate is a code with a blank ``Region`` (the Bank's own convention). Read once per
    set of side files (keyed by path, size and modification time).
    """
    paths = sorted((raw_dir / "worldbank").glob("Metadata_Country_*.csv"))
    key = tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in paths)
    return _read_metadata(raw_dir, key)


@lru_cache(maxsize=8)
def _read_metadata(
    raw_dir: Path, key: tuple[tuple[str, int, int], ...]
) -> tuple[frozenset[str], frozenset[str]]:
    aggregates: set[str] = set()
    listed: set[str] = set()
    for path, _, _ in key:
        with reading(Path(path), raw_dir):
            meta = pd.read_csv(path, encoding="utf-8-sig", usecols=["Country Code", "Region"])
        listed |= set(meta["Country Code"].dropna())
        aggregates |= set(meta.loc[meta["Region"].isna(), "Country Code"].dropna())
    return frozenset(aggregates), frozenset(listed)


#: WDI code prefixes of national accounts series (GDP and its deflator, expenditure, value
#: added): the series a country's "reporting period for national accounts data" note is about.
WB_NATIONAL_ACCOUNTS = ("NY.", "NE.", "NV.")
#: A side file's note that a country's national accounts are on its fiscal year, in the Bank's
#: two wordings: "For this country, it is fiscal year-based (fiscal year-end: March 20)" and
#: "Fiscal year end: March 31; reporting period for national accounts data: FY".
_NA_FISCAL = re.compile(r"fiscal year-based|national accounts data:\s*FY\b", re.IGNORECASE)
_FY_END = re.compile(
    r"fiscal year[- ]end(?:s on)?:?\s*(?P<month>[A-Z][a-z]+)\s+(?P<day>\d{1,2})", re.IGNORECASE
)
_MONTHS = {m: n for n, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun"), start=1)}


def wb_fiscal_basis(code: str, note: str) -> str | None:
    """The ``year_basis`` of a country's WDI national accounts from its ``SpecialNotes``, or None
    where they are calendar years or the year cannot be stored as the year the period starts.

    The Bank puts a fiscal year ending before 30 June under the calendar year in which it
    *starts* (Iran's 1397, 21 March 2018 – 20 March 2019, is 2018), one ending later under the
    year in which it ends: the schema has no basis for the latter, so those stay ``calendar``.

    >>> wb_fiscal_basis("IRN", "it is fiscal year-based (fiscal year-end: March 20).")
    'iranian_year'
    >>> wb_fiscal_basis("CAN", "Fiscal year end: March 31; reporting period ... data: CY.")
    """
    end = _FY_END.search(note)
    if not _NA_FISCAL.search(note) or end is None:
        return None
    month = _MONTHS.get(end.group("month")[:3].lower())
    if month is None or (month, int(end.group("day"))) >= (6, 30):
        return None
    return "iranian_year" if code == "IRN" else "financial_year"


def wb_fiscal_bases(raw_dir: Path) -> dict[str, str]:
    """Country code → ``year_basis`` of its WDI national accounts, from the ``SpecialNotes`` of
    every ``Metadata_Country`` side file (as for aggregates, the side files of any download:
    the note describes the country's reporting, not one indicator). A country whose side files
    disagree is left out (calendar)."""
    paths = sorted((raw_dir / "worldbank").glob("Metadata_Country_*.csv"))
    key = tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in paths)
    return _read_fiscal_bases(raw_dir, key)


@lru_cache(maxsize=8)
def _read_fiscal_bases(raw_dir: Path, key: tuple[tuple[str, int, int], ...]) -> dict[str, str]:
    found: dict[str, set[str | None]] = {}
    for path, _, _ in key:
        with reading(Path(path), raw_dir):
            meta = pd.read_csv(path, encoding="utf-8-sig", usecols=["Country Code", "SpecialNotes"])
        for code, note in zip(meta["Country Code"], meta["SpecialNotes"], strict=True):
            if isinstance(code, str):
                text = note if isinstance(note, str) else ""
                found.setdefault(code, set()).add(wb_fiscal_basis(code, text))
    bases: dict[str, str] = {}
    for code, said in found.items():
        only = next(iter(said)) if len(said) == 1 else None
        if only is not None:
            bases[code] = only
    return bases


def wb_year_basis(codes: pd.Series, indicator: pd.Series, raw_dir: Path) -> pd.Series:
    """``year_basis`` of each WDI row: the country's fiscal basis (:func:`wb_fiscal_bases`) for
    national accounts series (:data:`WB_NATIONAL_ACCOUNTS`), ``calendar`` otherwise."""
    national = indicator.astype(str).str.startswith(WB_NATIONAL_ACCOUNTS)
    fiscal = codes.map(wb_fiscal_bases(raw_dir))
    return fiscal.where(national & fiscal.notna(), "calendar").astype(object)


def wb_is_aggregate(codes: pd.Series, raw_dir: Path) -> pd.Series:
    """True for World Bank aggregate codes: the side files where they list the code, else
    :data:`WB_AGGREGATE_CODES`."""
    meta_aggregates, listed = wb_metadata_aggregates(raw_dir)
    by_meta = codes.isin(meta_aggregates)
    by_list = codes.isin(WB_AGGREGATE_CODES)
    return by_meta.where(codes.isin(listed), by_list).astype(bool)
