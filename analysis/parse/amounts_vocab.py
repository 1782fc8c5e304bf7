"""The words of claimed amounts, by language (what :mod:`analysis.parse.amounts` reads).

Vocabulary only: the grammar (how these words combine into an amount) is in
:mod:`analysis.parse.amounts`. Keys are normalised text (lower case, Arabic letter variants unified:
أ/إ/آ → ا, ى → ي, no diacritics), so a word is written here the way ``amounts.normalise`` leaves it.
"""

from __future__ import annotations

import re

#: Languages text2num knows, tried in this order for number words.
NUMBER_WORD_LANGUAGES = ("en", "de", "fr", "it", "pt", "es")

# --- lexicon --------------------------------------------------------------------------------------
#: Currency symbols and words → ISO 4217. ``dollar`` alone is read as US$ (every dollar claim in
#: the research ledger is in US$). ``riyal`` is left out on purpose (Saudi or Qatari?).
CURRENCY_WORDS: dict[str, str] = {
    **dict.fromkeys(["$", "us$", "usd", "dollar", "dollars", "dólares", "dolares", "dólar"], "USD"),
    **dict.fromkeys(["dollari", "dollaro", "دولار", "دولارات", "الدولارات"], "USD"),
    **dict.fromkeys(["£", "gbp", "pound", "pounds", "sterling", "pfund", "sterline"], "GBP"),
    **dict.fromkeys(["€", "eur", "euro", "euros", "يورو"], "EUR"),
    **dict.fromkeys(["₪", "ils", "nis", "shekel", "shekels", "شيكل"], "ILS"),
    **dict.fromkeys(["irr", "rial", "rials"], "IRR"),
}
#: Multipliers. ``m``/``b`` count only right after a number (``$260m``, ``$100 m``).
MULTIPLIERS: dict[str, float] = {
    **dict.fromkeys(["thousand", "thousands", "tausend", "mila", "mille", "mil", "الف"], 1e3),
    **dict.fromkeys(["الاف", "آلاف"], 1e3),
    **dict.fromkeys(["m", "mn", "mln", "mio", "million", "millions", "millionen"], 1e6),
    **dict.fromkeys(["milione", "milioni", "milhão", "milhao", "milhões", "milhoes"], 1e6),
    **dict.fromkeys(["millón", "millon", "millones", "مليون", "ملايين", "ملاين"], 1e6),
    **dict.fromkeys(["b", "bn", "billion", "billions", "mrd", "milliarde", "milliarden"], 1e9),
    **dict.fromkeys(["miliardo", "miliardi", "bilhão", "bilhao", "bilhões", "bilhoes"], 1e9),
    **dict.fromkeys(["milliard", "milliards", "مليار", "مليارات"], 1e9),
    # Portuguese (Portugal) and Spanish write a billion as "a thousand millions".
    **dict.fromkeys(["mil milhões", "mil milhoes", "mil millones"], 1e9),
}
#: Multipliers that are single letters: a unit only when glued or next to a number.
LETTER_MULTIPLIERS = frozenset({"m", "b"})
PERCENT_WORDS = frozenset(
    {"%", "percent", "per cent", "prozent", "por cento", "per cento", "pour cent", "por ciento"}
    | {"في المئة", "في المائة", "بالمئة", "بالمائة"}
)
#: Qualifiers before a number → bound (rules table; plus the same words in the other languages).
QUALIFIERS: dict[str, str] = {
    **dict.fromkeys(
        ["about", "around", "approximately", "approx", "some", "roughly", "an estimated"]
        + ["estimated", "nearly", "almost", "circa", "ca", "close to", "rund", "etwa"]
        + ["ungefähr", "knapp", "quasi", "intorno a", "all'incirca", "cerca de", "quase"]
        + ["aproximadamente", "por volta de", "environ", "près de", "presque", "autour de"]
        + ["حوالي", "نحو", "قرابة", "تقريبا"],
        "approximate",
    ),
    **dict.fromkeys(
        ["more than", "over", "at least", "upwards of", "in excess of", "no less than"]
        + ["mehr als", "über", "mindestens", "più di", "oltre", "almeno", "mais de"]
        + ["pelo menos", "acima de", "plus de", "au moins", "اكثر من", "ما لا يقل عن"],
        "at_least",
    ),
    **dict.fromkeys(
        ["up to", "as much as", "no more than", "less than", "under", "bis zu", "weniger als"]
        + ["höchstens", "fino a", "meno di", "até", "menos de", "jusqu'à", "moins de"]
        + ["اقل من", "ما يصل الى", "حتى"],
        "at_most",
    ),
}
#: Vague magnitudes → (low, high) factors of the unit that follows ("[10, 100) × unit" ...).
VAGUE: dict[str, tuple[float, float]] = {
    **dict.fromkeys(
        ["tens of", "dezenas de", "decine di", "dizaines de", "des dizaines de", "zig"] + ["عشرات"],
        (10.0, 100.0),
    ),
    **dict.fromkeys(
        ["hundreds of", "hunderte", "hunderte von", "centinaia di", "centenas de"]
        + ["centaines de", "des centaines de", "مئات", "مئات من"],
        (100.0, 1000.0),
    ),
    **dict.fromkeys(
        ["several hundred", "several hundreds of", "mehrere hundert", "diverse centinaia di"]
        + ["varie centinaia di", "várias centenas de", "plusieurs centaines de"],
        (300.0, 900.0),
    ),
}
#: Share words → (low, high, bound); the X follows (``most of X``).
SHARES: dict[str, tuple[float, float, str]] = {
    **dict.fromkeys(
        ["most of", "the majority of", "majority of", "a majority of", "the bulk of"]
        + ["bulk of", "der großteil", "den großteil", "großteil", "die mehrheit", "mehrheit"]
        + ["der größte teil", "den größten teil", "la maggior parte", "maggior parte"]
        + ["la maggioranza", "a maior parte", "maior parte", "a maioria", "la plupart"]
        + ["la majorité", "l'essentiel", "معظم", "اغلب", "غالبية"],
        (0.5, 1.0, "range"),
    ),
    **dict.fromkeys(
        ["half of", "die hälfte", "la metà", "a metade", "la moitié", "نصف"], (0.5, 0.5, "exact")
    ),
}
#: Words that open a range of two numbers joined by ``and`` (``between A and B``).
BETWEEN_WORDS = frozenset({"between", "zwischen", "entre", "tra", "fra", "بين"})
#: Words joining the two bounds of a range (``A to B``, ``A-B``, ``A bis B``, ``de A a B``).
RANGE_LINKS = frozenset({"to", "-", "bis", "à", "a", "al", "الى"})
#: ``and`` in the languages shown (only a range after a between-word; else two amounts).
AND_WORDS = frozenset({"and", "und", "et", "e", "y", "و"})
#: Words that may stand right before an amount without changing its reading.
NEUTRAL_WORDS = frozenset(
    {"of", "the", "a", "an", "total", "only", "just", "from", "von", "de", "di", "do", "da"}
    | {"des", "du", "la", "le", "il", "o", "der", "die", "das", "um", "in", "with", "sum"}
    | {"nur", "solo", "apenas", "seulement", "فقط", "tune", "annual", "yearly", "monthly"}
)
#: Words between a multiplier and the currency word (``millions of dollars``).
CURRENCY_CONNECTORS = frozenset({"of", "de", "di", "dei", "in", "em", "en", "من"})
#: Words that make a percent a *change* (``um 60 Prozent zurückgegangen``), not a share.
CHANGE_WORDS = re.compile(
    r"\b(declin\w*|decreas\w*|drop\w*|fell|fallen|fall|cut|cuts|reduc\w*|increas\w*|rose|"
    r"risen|rise|grew|grown|jump\w*|zurückgegangen|gesunken|gestiegen|erhöht|gekürzt|"
    r"rückgang|anstieg|calat\w*|diminui\w*|aumentat\w*|ridott\w*|caiu|aumentou|reduziu|"
    r"baisse|hausse|augment\w*|diminu\w*|انخفض|ارتفع|زاد|تراجع)\b"
)
#: Words that refer back to the first fragment (``the bulk of that amount``).
ANAPHORS = frozenset(
    {"that amount", "this amount", "that sum", "this sum", "the amount", "it", "that", "this"}
    | {"diese summe", "dieser summe", "questa somma", "esse valor", "ce montant", "هذا المبلغ"}
)
#: Number words that text2num reads as numbers but are magnitudes here ("hundreds of").
PLURAL_MAGNITUDES = frozenset({"tens", "hundreds", "thousands", "millions", "billions", "dozens"})
#: Fractions and articles before a multiplier (``half a million``, ``a quarter-billion``).
FRACTION_WORDS: dict[str, float] = {
    "a": 1.0,
    "an": 1.0,
    "half a": 0.5,
    "half": 0.5,
    "a half": 0.5,
    "a quarter": 0.25,
    "quarter": 0.25,
    "quarter of a": 0.25,
    "a quarter of a": 0.25,
    "three quarters of a": 0.75,
    "نصف": 0.5,
    "ربع": 0.25,
}
#: Arabic multipliers that mean "one million" (etc.) on their own.
ARABIC_SINGULAR = frozenset({"مليون", "مليار", "الف"})
#: Arabic number words (normalised letters: أ/إ/آ → ا, ة kept); combined with و ("and").
ARABIC_NUMBERS: dict[str, float] = {
    **{"واحد": 1, "اثنان": 2, "اثنين": 2, "ثلاثة": 3, "ثلاث": 3, "اربعة": 4, "اربع": 4},
    **{"خمسة": 5, "خمس": 5, "ستة": 6, "ست": 6, "سبعة": 7, "سبع": 7, "ثمانية": 8, "ثماني": 8},
    **{"تسعة": 9, "تسع": 9, "عشرة": 10, "عشر": 10, "عشرون": 20, "عشرين": 20},
    **{"ثلاثون": 30, "ثلاثين": 30, "اربعون": 40, "اربعين": 40, "خمسون": 50, "خمسين": 50},
    **{"ستون": 60, "ستين": 60, "سبعون": 70, "سبعين": 70, "ثمانون": 80, "ثمانين": 80},
    **{"تسعون": 90, "تسعين": 90, "مائة": 100, "مئة": 100, "مائتان": 200, "مئتان": 200},
    **{"مائتي": 200, "مئتي": 200, "مائتين": 200, "مئتين": 200, "ثلاثمائة": 300, "ثلاثمئة": 300},
    **{"اربعمائة": 400, "اربعمئة": 400, "خمسمائة": 500, "خمسمئة": 500, "ستمائة": 600},
    **{"ستمئة": 600, "سبعمائة": 700, "سبعمئة": 700, "ثمانمائة": 800, "ثمانمئة": 800},
    **{"تسعمائة": 900, "تسعمئة": 900},
}

# --- periods --------------------------------------------------------------------------------------
_YEAR = r"(?:19|20)\d\d"
_COUNT = r"(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|few|several|many)"
#: Period patterns, tried in this order (a rate beats a span: "annually, 1993 to 2006" is a rate;
#: "USD 20 million per month over two years" is a monthly figure).
PERIOD_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "month",
        re.compile(
            r"\b(a|per|each|every) month\b|\bmonthly\b|\bpro monat\b|\bmonatlich\w*|"
            r"\bal mese\b|\bmensil\w*|\bmensal\w*|\bpor m[eê]s\b|\bpar mois\b|\bmensuel\w*|"
            r"\bشهري|في الشهر"
        ),
    ),
    (
        "year",
        re.compile(
            r"\b(a|per|each|every) year\b|\bannually\b|\bannual\b|\byearly\b|\bper annum\b|"
            r"\bj[äa]hrlich\w*|\bpro jahr\b|\ball'anno\b|\bannual\w*|\bpor ano\b|\banual\w*|"
            r"\bpar an\b|\bannuel\w*|\bسنوي|في السنة|في العام|"
            # NPR (C019): "25 to $50 million in certain years" = amounts per year, some years.
            r"\bin (certain|some) years\b"
        ),
    ),
    (
        "one_off",
        re.compile(
            r"\bone[- ]off\b|\bone[- ]time\b|\bonce\b|\ba grant\b|\bin cash once\b|"
            r"\blump[- ]sum\b|\beinmalig\w*|\buna tantum\b|\bponctuel\w*|\bمرة واحدة"
        ),
    ),
    (
        "total",
        re.compile(
            rf"\bbetween {_YEAR} and {_YEAR}\b|\b{_YEAR}\s*(-|to|bis|a|à)\s*{_YEAR}\b|"
            rf"\bsince\b|\bseit\b|\bdesde\b|\bdepuis\b|\bمنذ|"
            rf"\b(over|in|during) (the )?((past|last) )?{_COUNT} "
            r"(days|weeks|months|years|decades)\b|"
            r"\bcumulative\w*|\bkumuliert\w*|\bcumulat\w*|\binsgesamt\b|\bin total\b"
        ),
    ),
    (
        "year",
        re.compile(
            rf"\bin (the year )?{_YEAR}\b|\bduring (the course of )?{_YEAR}\b|\bthis year\b|"
            rf"\blast year\b|\bim jahr {_YEAR}\b|\bnel {_YEAR}\b|\bem {_YEAR}\b|\ben {_YEAR}\b|"
            r"\bdieses jahr\b|\bletztes jahr\b|\bquest'anno\b|\beste ano\b|\bcette année\b"
        ),
    ),
)
#: Rates the period vocabulary has no word for: read, then reported as partial.
OTHER_RATES = re.compile(
    r"\b(a|per|each|every) (week|day)\b|\bweekly\b|\bdaily\b|\bwöchentlich\b|\btäglich\b"
)
#: An amount per person or per family is not a total: "per family", "each martyr's family".
PER_UNIT = re.compile(
    r"\b(per|each|every|je|pro|por|par|لكل) (martyr'?s? )?"
    r"(famil(y|ies|ie|le|ia|ília)|household|person|head|fighter|martyr|prisoner|home|house|"
    r"employee|عائلة|اسرة|شهيد)\b"
)
