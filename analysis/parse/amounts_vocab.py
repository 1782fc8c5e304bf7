"""The words of claimed amounts, by language (what :mod:`analysis.parse.amounts` reads).

Vocabulary only: the grammar (how these words combine into an amount) is in
:mod:`analysis.parse.amounts`. Keys are normalised text (lower case, Arabic letter variants unified:
أ/إ/آ → ا, ي → ي, no diacritics), so a word is written here the way ``amounts.normalise`` leaves it.
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
    **dict.fromkeys(["r$", "brl", "reais"], "BRL"),
    # Indonesian, Persian, Hebrew
    **dict.fromkeys(["dolar", "دلار", "דולר", "דולרים"], "USD"),
    **dict.fromkeys(["שקל", "שקלים", "ש״ח"], "ILS"),
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
    # Indonesian, Persian (normalised: ي, ك), Hebrew
    **dict.fromkeys(["ribu", "هزار", "אלף"], 1e3),
    **dict.fromkeys(["juta", "ميليون", "ميليونها", "מיליון", "מיליוני", "מיליונים"], 1e6),
    **dict.fromkeys(["miliar", "ميليارد", "ميلياردها", "מיליארד", "מיליארדי"], 1e9),
}
#: Multipliers that are single letters: a unit only when glued or next to a number.
LETTER_MULTIPLIERS = frozenset({"m", "b"})
PERCENT_WORDS = frozenset(
    {
        "%",
        "percent",
        "per cent",
        "pct",
        "prozent",
        "por cento",
        "per cento",
        "pour cent",
        "por ciento",
    }
    | {"في المئة", "في المائة", "بالمئة", "بالمائة"}
)
#: Qualifiers before a number → bound (rules table; plus the same words in the other languages).
QUALIFIERS: dict[str, str] = {
    **dict.fromkeys(
        ["about", "around", "approximately", "approx", "some", "roughly", "an estimated"]
        + ["estimated", "nearly", "almost", "circa", "ca", "close to", "rund", "etwa"]
        + ["ungefähr", "knapp", "quasi", "intorno a", "all'incirca", "cerca de", "quase"]
        + ["aproximadamente", "por volta de", "environ", "près de", "presque", "autour de"]
        + ["حوالي", "نحو", "قرابة", "تقريبا"]
        + ["fast", "beinahe", "annähernd", "schätzungsweise", "geschätzte", "zirka"]
        + ["pressappoco", "approssimativamente", "intorno ai", "circa di", "em torno de"]
        + ["perto de", "cerca di", "quelque", "à peu près", "approximativement", "زهاء"]
        + ["ما يقرب من", "ما يناهز", "يناهز", "ما يقارب", "alrededor de", "casi", "unos"]
        + ["in the region of", "on the order of", "of the order of", "بحدود"]
        + ["cerca de", "aproximadamente", "sekitar", "hampir", "kurang lebih", "حدود", "در حدود"]
        + ["כ", "כמעט", "בערך", "קרוב ל"],
        "approximate",
    ),
    **dict.fromkeys(
        ["more than", "over", "at least", "upwards of", "in excess of", "no less than"]
        + ["mehr als", "über", "mindestens", "più di", "oltre", "almeno", "mais de"]
        + ["pelo menos", "acima de", "plus de", "au moins", "اكثر من", "ما لا يقل عن"]
        + ["not less than", "no fewer than", "a minimum of", "well over", "nicht weniger als"]
        + ["wenigstens", "weit über", "non meno di", "un minimo di", "no mínimo", "não menos de"]
        + ["não menos que", "pas moins de", "au minimum", "لا يقل عن", "علي الاقل", "ما يزيد عن"]
        + ["ما يزيد علي", "يزيد علي", "يزيد عن", "ما يربو علي", "más de", "mas de", "al menos"]
        + ["north of", "upward of", "superiore a", "supérieur à", "ما يفوق", "يفوق", "ازيد من"]
        + ["mais da", "mais do", "lebih dari", "setidaknya", "paling sedikit", "بيش از"]
        + ["دست كم", "حداقل", "לפחות", "יותר מ", "מעל"],
        "at_least",
    ),
    **dict.fromkeys(
        ["up to", "as much as", "no more than", "less than", "under", "bis zu", "weniger als"]
        + ["höchstens", "fino a", "meno di", "até", "menos de", "jusqu'à", "moins de"]
        + ["اقل من", "ما يصل الي", "حتي"]
        + ["not more than", "at most", "a maximum of", "nicht mehr als", "maximal"]
        + ["al massimo", "non più di", "no máximo", "não mais de", "não mais que", "au maximum"]
        + ["au plus", "pas plus de", "علي الاكثر", "لا يزيد علي", "لا يزيد عن", "hasta"]
        + ["حداكثر", "עד", "below", "unter", "inferiore a", "inférieur à", "abaixo de"],
        "at_most",
    ),
}
#: Qualifiers that follow the amount (``$100 million or more``, ``100 مليون دولار تقريبا``).
TRAILING_QUALIFIERS: dict[str, str] = {
    **dict.fromkeys(["or so", "تقريبا", "ungefähr", "circa", "environ"], "approximate"),
    **dict.fromkeys(
        ["or more", "oder mehr", "und mehr", "o più", "e più", "ou mais", "ou plus", "et plus"]
        + ["علي الاقل", "او اكثر", "واكثر"],
        "at_least",
    ),
    **dict.fromkeys(["or less", "oder weniger", "o meno", "ou menos", "ou moins"], "at_most"),
}
#: Vague magnitudes → (low, high) factors of the unit that follows ("[10, 100) × unit" ...).
VAGUE: dict[str, tuple[float, float]] = {
    **dict.fromkeys(
        ["tens of", "dezenas de", "decine di", "dizaines de", "des dizaines de", "zig"]
        # "dozens of millions" is read as "tens of millions" (the same row of the rules table)
        + ["dozens of", "dutzende", "einige dutzend", "dozzine di", "dúzias de", "douzaines de"]
        + ["عشرات", "عشرات من", "einige zehn", "mehrere zehn", "einigen zehn"]
        # the lower end of a vague range: "tens to hundreds of millions"
        + ["tens", "dezenas", "decine", "dizaines", "des dizaines"]
        + ["puluhan", "دهها", "ده ها", "עשרות"],
        (10.0, 100.0),
    ),
    **dict.fromkeys(
        ["hundreds of", "hunderte", "hunderte von", "centinaia di", "centenas de"]
        + ["centaines de", "des centaines de", "مئات", "مئات من"]
        + ["hundreds", "centinaia", "centenas", "centaines", "des centaines"]
        + ["ratusan", "صدها", "מאות"],
        (100.0, 1000.0),
    ),
    **dict.fromkeys(
        ["several hundred", "several hundreds of", "mehrere hundert", "diverse centinaia di"]
        + ["varie centinaia di", "várias centenas de", "plusieurs centaines de"]
        # "a few hundred" is read as "several hundred" (one row of the rules table, not two)
        + ["a few hundred", "einige hundert", "einigen hundert", "qualche centinaio di"]
        + ["alcune centinaia di", "algumas centenas de", "quelques centaines de"],
        (300.0, 900.0),
    ),
}
#: Fractions that name a share (``a third of its budget``): the X follows.
FRACTION_SHARES: dict[str, float] = {
    **dict.fromkeys(
        ["half of", "half the", "die hälfte", "der hälfte", "la metà", "metà", "a metade"]
        + ["metade", "la moitié", "moitié", "نصف"],
        0.5,
    ),
    **dict.fromkeys(
        ["a third of", "one third of", "third of", "ein drittel", "einem drittel", "un terzo"]
        + ["um terço", "un tiers", "ثلث"],
        1 / 3,
    ),
    **dict.fromkeys(
        ["two thirds of", "zwei drittel", "due terzi", "dois terços", "deux tiers", "ثلثي", "ثلثا"],
        2 / 3,
    ),
    **dict.fromkeys(
        ["a quarter of", "one quarter of", "ein viertel", "un quarto", "um quarto", "un quart"]
        + ["ربع"],
        0.25,
    ),
    **dict.fromkeys(
        ["three quarters of", "drei viertel", "tre quarti", "três quartos", "trois quarts"]
        + ["ثلاثة ارباع"],
        0.75,
    ),
    **dict.fromkeys(
        ["a fifth of", "one fifth of", "ein fünftel", "un quinto", "um quinto", "un cinquième"],
        0.2,
    ),
    **dict.fromkeys(
        ["a tenth of", "one tenth of", "ein zehntel", "un decimo", "um décimo", "un dixième"], 0.1
    ),
    **dict.fromkeys(
        ["all of", "the entire", "the whole of", "die gesamte", "das gesamte", "den gesamten"]
        + ["l'intero", "la totalità", "todo o", "toda a", "la totalité", "l'intégralité"],
        1.0,
    ),
}
#: Share words → (low, high, bound); the X follows (``most of X``).
SHARES: dict[str, tuple[float, float, str]] = {
    **dict.fromkeys(
        ["most of", "the majority of", "majority of", "a majority of", "the bulk of"]
        + ["bulk of", "der großteil", "den großteil", "großteil", "die mehrheit", "mehrheit"]
        + ["der größte teil", "den größten teil", "la maggior parte", "maggior parte"]
        + ["la maggioranza", "a maior parte", "maior parte", "a maioria", "la plupart"]
        + ["la majorité", "l'essentiel", "معظم", "اغلب", "غالبية"]
        + ["the lion's share of", "lion's share of", "the greater part of", "greater part of"]
        + ["the lion's share", "lion's share", "the majority", "the bulk"]
        + ["the better part of", "die meisten", "das meiste", "den löwenanteil", "löwenanteil"]
        + ["der löwenanteil", "il grosso", "la parte del leone", "o grosso", "a parte do leão"]
        + ["la majeure partie", "majeure partie", "la plus grande partie", "la part du lion"]
        + ["le gros", "الجزء الاكبر", "القسم الاكبر", "الحصة الاكبر", "الشطر الاكبر"],
        (0.5, 1.0, "range"),
    ),
    **{k: (v, v, "exact") for k, v in FRACTION_SHARES.items()},
}
#: Counts that make a vague magnitude only right before a multiplier ("several million",
#: "mehrere Millionen", "عدة ملايين"): read as "several hundred" is (3 to 9 of the unit).
COUNT_VAGUE: dict[str, tuple[float, float]] = dict.fromkeys(
    ["several", "a few", "mehrere", "einige", "diversi", "alcuni", "vari", "parecchi", "alguns"]
    + ["vários", "plusieurs", "quelques", "عدة", "بضعة", "بضع"],
    (3.0, 9.0),
)
#: Share words with no stated fraction (``a large part of``): unparsed with the reason.
UNSTATED_SHARES = frozenset(
    {"a large part of", "a large share of", "a large portion of", "a significant part of"}
    | {"a significant portion of", "a significant share of", "a good part of", "a big part of"}
    | {"a substantial part of", "a substantial portion of", "ein großer teil", "einen großen teil"}
    | {"ein guter teil", "einen guten teil", "gran parte", "buona parte", "una buona parte"}
    | {"grande parte", "uma grande parte", "boa parte", "uma boa parte", "une grande partie"}
    | {"une bonne partie", "جزء كبير", "جزءا كبيرا", "قسم كبير", "قسما كبيرا"}
    | {"the largest share of", "the biggest share of", "the largest part of", "a chunk of"}
)
#: Articles that may stand inside a range (``fra i 20 e i 30 milioni``, ``entre os 20 e os 30``).
RANGE_ARTICLES = frozenset({"i", "gli", "le", "les", "os", "as", "the", "los", "las"})
#: Words that open a range of two numbers joined by ``and`` (``between A and B``).
BETWEEN_WORDS = frozenset({"between", "zwischen", "entre", "tra", "fra", "بين"})
#: Words joining the two bounds of a range (``A to B``, ``A-B``, ``A bis B``, ``de A a B``).
RANGE_LINKS = frozenset({"to", "-", "bis", "à", "a", "al", "الي", "hingga", "sampai", "تا", "עד"})
#: ``and`` in the languages shown (only a range after a between-word; else two amounts).
AND_WORDS = frozenset({"and", "und", "et", "e", "y", "و"})
#: Words that may stand right before an amount without changing its reading.
NEUTRAL_WORDS = frozenset(
    {"of", "the", "a", "an", "total", "only", "just", "from", "von", "de", "di", "do", "da"}
    | {"des", "du", "la", "le", "il", "o", "der", "die", "das", "um", "in", "with", "sum"}
    | {"nur", "solo", "apenas", "seulement", "فقط", "tune", "annual", "yearly", "monthly"}
    | {"its", "their", "his", "her", "seines", "seinem", "ihres", "ihrem", "suo", "sua", "seu"}
    | {"son", "sa", "ses", "leur", "ما", "من"}
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
    | {"davon", "dessen", "di questi", "di essi", "disso", "desse valor", "de ce montant", "منه"}
    | {"منها", "ذلك", "هذا"}
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
    "a third of a": 1 / 3,
    # the indefinite article before a multiplier ("eine Milliarde", "uma bilhão", "un milliard")
    **dict.fromkeys(["ein", "eine", "einer", "uma", "une", "un", "una", "uno", "um"], 1.0),
    **dict.fromkeys(["anderthalb", "eineinhalb"], 1.5),
    "one third of a": 1 / 3,
    "two thirds of a": 2 / 3,
    "نصف": 0.5,
    "ربع": 0.25,
    "ثلث": 1 / 3,
}
#: Arabic duals: "two million" etc. in one word (``مليونا دولار``, ``ملياران``).
ARABIC_DUALS: dict[str, float] = {
    **dict.fromkeys(["مليونا", "مليوني", "مليونان", "مليونين"], 1e6),
    **dict.fromkeys(["مليارا", "ملياري", "ملياران", "مليارين"], 1e9),
    **dict.fromkeys(["الفا", "الفي", "الفان", "الفين"], 1e3),
}
#: Arabic letters that cling to the next word (and, with, for, so, like), before ``ال``.
ARABIC_CLITICS = ("و", "ب", "ل", "ف", "ك")
#: Fractions after a multiplier: ``مليون ونصف``, ``un milliard et demi`` (a million and a half).
FRACTION_TAILS: dict[str, float] = {
    **dict.fromkeys(["ونصف", "و نصف", "et demi", "e mezzo", "e meio", "y medio"], 0.5),
    **dict.fromkeys(["وربع", "و ربع"], 0.25),
}
#: Arabic multipliers that mean "one million" (etc.) on their own.
ARABIC_SINGULAR = frozenset({"مليون", "مليار", "الف"})
#: Multipliers that stand for one of them with no number (``مليون دولار``, ``quase mil milhões``).
IMPLIED_ONE = ARABIC_SINGULAR | {"mil milhões", "mil milhoes", "mil millones"}
#: Arabic number words (normalised letters: أ/إ/آ → ا, ة kept); combined with و ("and").
ARABIC_NUMBERS: dict[str, float] = {
    **{"احد": 1, "اثنا": 2, "اثني": 2},
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
    # Persian, as normalise() writes it (ی → ي, ک → ك); "نه" (nine, also "no") is left out
    **{"يك": 1, "دو": 2, "سه": 3, "چهار": 4, "پنج": 5, "شش": 6, "هفت": 7, "هشت": 8, "ده": 10},
    **{"بيست": 20, "سي": 30, "چهل": 40, "پنجاه": 50, "شصت": 60, "هفتاد": 70, "هشتاد": 80},
    **{"نود": 90, "صد": 100, "يكصد": 100, "دويست": 200, "سيصد": 300, "چهارصد": 400},
    **{"پانصد": 500, "ششصد": 600, "هفتصد": 700, "هشتصد": 800, "نهصد": 900},
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
            r"\bal mese\b|\bmensil\w*|\bmensal\w*|\bmensais\b|\bmensual\w*|\bpor m[eê]s\b|"
            r"\bpar mois\b|\bmensuel\w*|"
            r"\bشهري|في الشهر|كل شهر|بالشهر|\bogni mese\b|\bal mes\b|\bpor mes\b|\bao m[eê]s\b|"
            r"\bcada m[eê]s\b|\btodos os meses\b|\bchaque mois\b|\btous les mois\b|"
            r"\bper bulan\b|\bsetiap bulan\b|ماهانه|در ماه|בחודש|לחודש|מדי חודש|"
            r"\bim monat\b|\bjeden monat\b|/ ?(month|mo|monat|mese|m[eê]s|mois|mes)\b"
        ),
    ),
    (
        "year",
        re.compile(
            r"\b(a|per|each|every) year\b|\bannually\b|\bannual\b|\byearly\b|\bper annum\b|"
            r"\banuais\b|\bj[äa]hrlich\w*|\bpro jahr\b|\ball'anno\b|\bannual\w*|\bpor ano\b|"
            r"\banual\w*|"
            r"\bpar an\b|\bannuel\w*|\bسنوي|في السنة|في العام|كل عام|كل سنة|بالسنة|"
            r"\bl'anno\b|\bogni anno\b|\bper anno\b|\bannu[oi]\b|\bao ano\b|\bcada ano\b|"
            r"\btodos os anos\b|\btodo ano\b|\bpor año\b|\bal año\b|\bchaque ann[ée]e\b|"
            r"\btous les ans\b|\bpar ann[ée]e\b|\bl'an\b|\bim jahr\b|\bjedes jahr\b|"
            r"/ ?(year|yr|jahr|anno|ano|an|año)\b|\bp\. ?a\.|"
            r"\bper tahun\b|\bsetiap tahun\b|سالانه|در سال|בשנה|לשנה|מדי שנה|"
            # NPR (C019): "25 to $50 million in certain years" = amounts per year, some years.
            r"\bin (certain|some) years\b"
        ),
    ),
    (
        "one_off",
        re.compile(
            r"\bone[- ]off\b|\bone[- ]time\b|\bonce\b|\ba grant\b|\bin cash once\b|"
            r"\blump[- ]sum\b|\beinmalig\w*|\buna tantum\b|\bponctuel\w*|\bمرة واحدة|"
            r"دفعة واحدة|\bde uma (só )?vez\b|\ben une (seule )?fois\b|\bauf einmal\b|"
            r"\bsingle (payment|transfer|grant|tranche)\b|\bpagamento [úu]nico\b|"
            r"\b(versement|paiement) unique\b|\bunica soluzione\b"
        ),
    ),
    (
        "total",
        re.compile(
            rf"\bbetween {_YEAR} and {_YEAR}\b|\b{_YEAR}\s*(-|to|bis|a|à)\s*{_YEAR}\b|"
            rf"\bsince\b|\bseit\b|\bdesde\b|\bdepuis\b|\bمنذ|"
            rf"\b(over|in|during) (the )?((past|last) )?{_COUNT} "
            r"(days|weeks|months|years|decades)\b|"
            r"\b(over|in|during) the (past|last) (decade|decades|years|few years)\b|"
            r"\bcumulative\w*|\bkumuliert\w*|\bcumulat\w*|\binsgesamt\b|\bin total\b|"
            rf"\bin totale\b|\bcomplessivament\w*|\bno total\b|\bao todo\b|\bau total\b|"
            rf"\bdal {_YEAR}\b|\bnegli ultimi (\w+ )?anni\b|\bnos [úu]ltimos (\w+ )?anos\b|"
            r"\bin den letzten (\w+ )?jahren\b|"
            r"\b(au cours des|ces) (\w+ )?derni[èe]res ann[ée]es\b|"
            r"خلال (ال)?(سنوات|اعوام)|في المجموع|\bاجمالا"
        ),
    ),
    (
        "year",
        re.compile(
            rf"\bin (the year )?{_YEAR}\b|\bduring (the course of )?{_YEAR}\b|\bthis year\b|"
            rf"\blast year\b|\bim jahr {_YEAR}\b|\bnel {_YEAR}\b|\bem {_YEAR}\b|\ben {_YEAR}\b|"
            r"\bdieses jahr\b|\bletztes jahr\b|\bquest'anno\b|\beste ano\b|\bcette année\b|"
            # a named year ahead or behind is one year ("new donations to come next year")
            r"\bnext year\b|\b(im )?nächsten? jahr\b|\bvergangenen? jahr\b|"
            r"\bl'anno (prossimo|scorso)\b|"
            r"\bpr[óo]ximo ano\b|\bano (passado|que vem)\b|\bl'ann[ée]e (prochaine|derni[èe]re)\b|"
            r"\bl'an (prochain|dernier)\b|(العام|السنة) (المقبل|القادم|الماضي)|هذا العام|"
            rf"عام {_YEAR}"
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

# --- changes of level -----------------------------------------------------------------------------
#: Verbs that make a claim a change of the funding level ("raised from $X to $Y", "von X auf Y
#: erhöht", "passou de X para Y"): the level after the change is the claim.
LEVEL_CHANGE = re.compile(
    r"\b(rais\w*|increas\w*|boost\w*|hike\w*|upped|doubl\w*|tripl\w*|rose|risen|grew|grown|"
    r"climb\w*|jump\w*|went from|gone from|cut|cuts|reduc\w*|slash\w*|lower\w*|decreas\w*|dropped|"
    r"fell|fallen|halved|up from|down from|"
    r"erhöh\w*|gesteigert|aufgestockt|angehoben|gestiegen|stieg|verdoppel\w*|gekürzt|gesenkt|"
    r"gesunken|sank|reduziert|"
    r"aumentat\w*|alzat\w*|salit\w*|cresciut\w*|raddoppiat\w*|passat\w* da|ridott\w*|"
    r"tagliat\w*|calat\w*|sces\w*|"
    r"aument\w*|elev(ou|ad\w*)|subiu|cresceu|dobrou|pass(ou|aram) de|reduziu|reduzid\w*|"
    r"cortou|caiu|"
    r"baixou|diminu\w*|"
    r"augment\w*|relev[ée]\w*|porté\w*|doubl[ée]\w*|pass[ée]\w* de|rédui\w*|baiss[ée]\w*|"
    r"chut[ée]\w*)\b|"
    r"(?<![^\W\d_])[وف]?(ارتفع|زاد|رفع|ضاعف|انخفض|خفض|تراجع|قلص)"
)
#: Words that open the earlier level ("from $X", "von X", "passou de X", "من").
FROM_WORDS = frozenset({"from", "von", "de", "da", "dal", "dai", "dalle", "des", "من"})
#: Words that open the new level ("to $Y", "auf Y", "para Y", "à Y", "الي").
TO_WORDS = frozenset({"to", "auf", "para", "a", "à", "ad", "al", "ai", "الي", "لتصل", "ليصل"})
#: Words before a second amount in another currency that make it a conversion of the first
#: ("$50 million, or about €46 million"; a bracket does the same).
CONVERSION_WORDS = frozenset(
    {"or", "equivalent", "equal", "oder", "also", "ou", "soit", "o", "cioè", "ossia", "ovvero"}
    | {"seja", "اي", "ما", "يعادل", "بما"}
)
#: Words text2num reads as a number that are no number in a claim: articles, and words of another
#: language ("due to", "non", "second", "null", "sei"); the guard ignores them.
NOT_NUMBERS = frozenset(
    {"a", "an", "un", "une", "uno", "una", "um", "uma", "o", "ein", "eine", "einen", "einem"}
    | {"einer", "eines", "due", "non", "second", "null", "sei", "otto"}
)
