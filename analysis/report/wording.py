"""A report's parameters in words, for readers: "years 2000–2024; open-market rate; statements
about Hamas only; graded think tank or academic or better".

Used by the appendix, the header of each downloadable CSV (:mod:`analysis.report.downloads`)
and the readers' index (:mod:`analysis.render.index`), so a parameter reads the same
everywhere. A parameter this module does not know is shown as "name: value" (never dropped).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

#: How each source grade is written for readers, best first (the schema's order; rule:
#: docs/adding-a-claim.md). Here, not in the claims view, so the index can word a report's
#: settings without importing pandas.
GRADE_NAMES: dict[str, str] = {
    "official_on_record": "official, on the record",
    "named_official_or_party": "named official or party figure",
    "unnamed_officials": "unnamed officials",
    "think_tank_academic": "think tank or academic",
    "media_unsourced": "media, no named source",
    "blog_listicle_aggregator": "blog, listicle or aggregator",
}
#: The weakest grade: "or better" then means every source.
WEAKEST_GRADE = list(GRADE_NAMES)[-1]

#: Rial rates by name, as running text.
RATE_WORDS: dict[str, str] = {
    "open_market": "open-market rate",
    "official": "official rate",
    "nima": "NIMA rate",
}

#: Recipient scopes of the claims reports.
SCOPE_WORDS: dict[str, str] = {
    "hamas_only": "statements about Hamas only",
    "including_aggregates": "statements about Hamas and about groups or donor pools that "
    "include it",
}

#: Military spending in US$: SIPRI's own dollars, or SIPRI's rials at a rial rate.
MILEX_WORDS: dict[str, str] = {
    "sipri_usd": "military spending in SIPRI's own dollars",
    **{k: f"military spending converted at the {v}" for k, v in RATE_WORDS.items()},
}


def _listed(values: object) -> list[str]:
    return [str(v) for v in values] if isinstance(values, list | tuple) else [str(values)]


#: Words kept in capitals (or a set spelling) when a code becomes words, in a report's text and
#: in its chart labels (:func:`analysis.report.charts.proper_label`).
SPELLINGS: dict[str, str] = {
    "us": "US",
    "uk": "UK",
    "eu": "EU",
    "un": "UN",
    "usd": "USD",
    "nima": "NIMA",
    "jcpoa": "JCPOA",
    "irgc": "IRGC",
    "gdp": "GDP",
    "hamas": "Hamas",
    "iran": "Iran",
    "iranian": "Iranian",
    "israel": "Israel",
    "israeli": "Israeli",
    "palestinian": "Palestinian",
    "authority": "Authority",
}


def plain_words(code: str) -> str:
    """A code as words: ``"israeli_government"`` -> ``"Israeli government"`` (no pandas: the
    index page uses this module too)."""
    words = [SPELLINGS.get(w.lower(), w) for w in str(code).replace("_", " ").split()]
    return " ".join(words)


def _event_month(events: pd.DataFrame | None, event_id: object) -> str | None:
    """The month of an events-ledger row ("February 2012"), None if unknown."""
    if events is None or "event_id" not in events:
        return None
    row = events[events["event_id"] == event_id]
    if row.empty or "event_date" not in row:
        return None
    import pandas as pd

    when = pd.Timestamp(row["event_date"].iloc[0])
    return None if pd.isna(when) else f"{when:%B %Y}"


def _phrase(name: str, value: object) -> str | None:
    """One parameter in words (None: said together with another, or nothing to say)."""
    if name in {"start_year", "end_year", "break_event", "return_event"}:
        return None
    if name == "fx_rate_type":
        return f"rial amounts in dollars at the {RATE_WORDS.get(str(value), str(value))}"
    if name == "constant_dollars_base_year":
        return f"constant dollars at {value} prices"
    if name == "recipient_scope":
        return SCOPE_WORDS.get(str(value), f"recipients: {value}")
    if name == "min_grade":
        if value == WEAKEST_GRADE:
            return "sources of every grade"
        return f"graded {GRADE_NAMES.get(str(value), str(value))} or better"
    if name == "statuses":
        chosen = _listed(value)
        if not chosen:
            return "money said to be paid, pledged, cut or stopped alike"
        return "statements of money " + " or ".join(chosen) + " only"
    if name == "claimant_types":
        chosen = _listed(value)
        if not chosen:
            return "statements by every kind of source"
        return "statements by " + ", ".join(plain_words(c) for c in chosen) + " only"
    if name == "include_vague":
        return "vague wordings shown as their range" if value else "vague wordings left out"
    if name == "milex_basis":
        return MILEX_WORDS.get(str(value), f"military spending at {value}")
    shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return f"{name.replace('_', ' ')}: {shown}"


def parameter_phrases(
    parameters: Mapping[str, object], events: pd.DataFrame | None = None
) -> list[str]:
    """The parameters as short phrases, in the order given; ``events`` (the processed events
    table) dates the break and the return of the rapprochement report by month."""
    phrases: list[str] = []
    start, end = parameters.get("start_year"), parameters.get("end_year")
    if start is not None or end is not None:
        phrases.append(f"years {start if start is not None else '…'}–{end or '…'}")
    if "break_event" in parameters or "return_event" in parameters:
        begin = _event_month(events, parameters.get("break_event"))
        back = _event_month(events, parameters.get("return_event"))
        phrases.append(
            f"the rift dated {begin} to {back}"
            if begin and back
            else "the rift dated by the break and the return in the events record"
        )
    phrases += [p for k, v in parameters.items() if (p := _phrase(k, v)) is not None]
    return phrases


def parameters_sentence(
    parameters: Mapping[str, object], events: pd.DataFrame | None = None
) -> str:
    """The parameters as one line ("years 2000–2024; open-market rate"), or "no settings"."""
    return "; ".join(parameter_phrases(parameters, events)) or "no settings"
