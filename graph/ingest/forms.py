"""How names are compared: typographic folding, title keys, the variant forms of a name, URLs and dates in words.

A source writes a title the way its style guide wants (“Global compact for
safe, orderly and regular migration”, ``EU-Turkey joint action plan``), the
graph the way its curators did (``Global Compact for Safe, Orderly and Regular
Migration``, ``EU-Turkey Joint Action Plan (2015)``). The functions here make
the two comparable without guessing:

- ``fold`` replaces curly quotes, apostrophes and dashes by their plain forms,
  one character for one, so that offsets in the folded text are offsets in the
  original;
- ``title_key`` is a title compared without case, punctuation or spacing, and
  ``loose_key`` also without its function words (``on``, ``for``, ``the``…);
- ``variants`` gives the other ways a form is written: without a trailing
  parenthesis (``(2015)``, ``(African Union)``), with dotted initials closed up
  (``U.S.C.`` → ``USC``), with an organisation's acronym written out or
  the other way round (``AU`` ↔ ``African Union``), and a case by its first
  party (``the Conference of European Churches case`` for ``Conference of
  European Churches v. the Netherlands``);
- ``without_first_word`` is a title without its first word, where four words
  or more are left that begin with a capital or a digit (``Convention on the
  Elimination of …`` for the ``International Convention on …``, ``2015 Joint
  Action Plan`` for the ``EU/Turkey 2015 Joint Action Plan``);
- ``main_title`` is a title before its subtitle (``Humanitarianism`` of
  ``Humanitarianism: the unacceptable face of solidarity``), the way a short
  citation repeats it;
- ``url_key`` is a web address without scheme, ``www.``, case of the host and
  a final slash, with the spaces a PDF's line breaks leave in it removed and
  the backslashes of Markdown's escapes dropped;
- ``quoted_titles`` are the titles a label quotes (``Kopp, 'Toward a Retorno
  Digno', Hart Fellowship report (2020)``): the curators' labels are their own
  words, but what they quote is the work's own title;
- ``dates_in`` finds ``22 June 2018`` and gives it as ``2018-06-22``;
- ``year_and_kind`` gives what a form says of an instrument's year and kind, so
  that ``the 1951 Convention`` finds the ``1951 Refugee Convention``;
- ``designations`` finds the numbered designations of legal citations
  (``general comment No. 31``, ``Executive Order #13769``).
"""

from __future__ import annotations

import re

_FOLD = str.maketrans({"‘": "'", "’": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "–": "-", "—": "-", "‐": "-", "‑": "-"})
_TRAILING_PARENTHESIS = re.compile(r"\s*\([^()]*\)\s*$")
_DOTTED_INITIALS = re.compile(r"\b(?:[A-Z]\.){2,}")
_CASE = re.compile(r"(.+?)\s+v\.?\s+\S")
_DROPPED_LEFT = 4
"""Words (without a trailing parenthesis) a form must keep when its first word is dropped."""
_MONTHS = "January February March April May June July August September October November December".split()
_DATE = re.compile(r"\b(\d{1,2})\s+(" + "|".join(_MONTHS) + r")\s+(\d{4})\b")
URL = re.compile(r"(?:https?://|www\.)[^\s<>\"”\[\]]+(?:(?<=[/\-_=&?])\s[^\s<>\"”\[\]]+)*")
"""A web address, with the pieces a line break cut after a ``/``, ``-`` or ``=`` joined back."""


def fold(text: str) -> str:
    """Curly quotes, apostrophes and dashes as their plain forms, character for character.

    >>> fold("Libya’s “dark web” – 2017")
    'Libya\\'s "dark web" - 2017'
    """
    return text.translate(_FOLD)


def title_key(text: str) -> str:
    """A title as compared: folded, casefolded, every run of punctuation and space one space.

    >>> title_key("International migration report 2015 (highlights)")
    'international migration report 2015 highlights'
    >>> title_key("International Migration Report 2015 (Highlights)")
    'international migration report 2015 highlights'
    """
    return " ".join(re.findall(r"[^\W_]+", fold(text).casefold()))


FUNCTION_WORDS = frozenset("a an and for in of on the to".split())
"""Words a title may change without naming another work (``Global Compact on Migration``, ``… for Migration``)."""


def loose_key(text: str) -> str:
    """A title's key without its function words.

    >>> loose_key("The Global Compact on Migration") == loose_key("Global Compact for Migration")
    True
    """
    return " ".join(word for word in title_key(text).split() if word not in FUNCTION_WORDS)


def main_title(text: str) -> str:
    """The title before its subtitle (a colon), or ``""`` when it has none.

    >>> main_title("Humanitarianism: the unacceptable face of solidarity")
    'Humanitarianism'
    """
    head, colon, _rest = text.partition(":")
    return head.strip() if colon and head.strip() else ""


def variants(form: str, acronyms: dict[str, str]) -> list[str]:
    """Other ways of writing a form (see the module's description); ``acronyms`` maps an acronym to its full name.

    >>> variants("Evaluation of the AU Migration Policy Framework for Africa", {"AU": "African Union"})
    ['Evaluation of the African Union Migration Policy Framework for Africa']
    >>> variants("8 U.S.C. § 1373 (2018)", {})
    ['8 U.S.C. § 1373', '8 USC § 1373 (2018)', '8 USC § 1373']
    >>> variants("Union of Ferry Crews v. Atlantis", {})
    ['Union of Ferry Crews case']
    """
    found: list[str] = []
    stripped = _TRAILING_PARENTHESIS.sub("", form)
    if stripped != form and len(stripped.split()) >= 2:
        found.append(stripped)
    for base in [form, *found]:
        closed = _DOTTED_INITIALS.sub(lambda m: m.group().replace(".", ""), base)
        if closed != base:
            found.append(closed.strip())
    for base in [form, *found]:
        for acronym, name in sorted(acronyms.items()):
            if re.search(rf"\b{re.escape(acronym)}\b", base):
                found.append(re.sub(rf"\b{re.escape(acronym)}\b", name, base))
            elif re.search(rf"\b{re.escape(name)}\b", base):
                found.append(re.sub(rf"\b{re.escape(name)}\b", acronym, base))
    case = _CASE.match(form)
    if case and len(case.group(1).split()) >= 2:
        found.append(case.group(1) + " case")
    return [v for n, v in enumerate(found) if v != form and v not in found[:n]]


def without_first_word(form: str) -> str:
    """The form without its first word, or ``""`` where fewer than four words would be left or they would not begin
    with a capital or a digit.

    >>> without_first_word("EU/Turkey 2015 Joint Action Plan")
    '2015 Joint Action Plan'
    >>> without_first_word("EU-Turkey Joint Action Plan (2015)"), without_first_word("Protocol against the Smuggling of Migrants")
    ('', '')
    """
    rest = form.partition(" ")[2]
    if not (rest[:1].isupper() or rest[:1].isdigit()):
        return ""
    return rest if len(_TRAILING_PARENTHESIS.sub("", rest).split()) >= _DROPPED_LEFT else ""


def quoted_titles(text: str) -> list[str]:
    """The titles of two words or more that a label quotes.

    >>> quoted_titles("Kopp, 'Toward a Retorno Digno', Hart Fellowship report (2020); California's 'sanctuary' laws")
    ['Toward a Retorno Digno']
    """
    found = re.findall(r"(?:(?<=^)|(?<=[\s(]))['‘“\"]([^'’”\"]{3,200}?)['’”\"](?=$|[\s,.;:)])", text)
    return [title.strip() for title in found if len(title.split()) >= 2]


DESIGNATION = re.compile(
    r"\b(general comment|general recommendation|executive order|complaint|communication|application|conclusions"
    r"|decision|directive|regulation|decree)\s+(?:No\.?\s*|#\s*)?(\d+(?:[/.\-]\w+)*|[IVXLC]+-\d+)\b",
    re.I,
)
"""A numbered designation in a legal citation: ``general comment No. 31``, ``Executive Order #13769``,
``complaint No. 90/2013``, ``Conclusions XIV-1``."""


def designations(text: str) -> list[tuple[int, int, tuple[str, str]]]:
    """(start, end, key) of each numbered designation; the key ignores case, ``No.`` and ``#``.

    >>> designations("See Executive Order #13769 and complaint No. 90/2013.")
    [(4, 26, ('executive order', '13769')), (31, 52, ('complaint', '90/2013'))]
    """
    return [(m.start(), m.end(), (" ".join(m.group(1).casefold().split()), m.group(2))) for m in DESIGNATION.finditer(text)]


_KINDS = r"(Convention|Covenant|Declaration|Protocol|Charter|Agreement|Compact|Treaty|Statute)s?\b"
_YEAR = r"\b(1[6-9]\d\d|20\d\d)\b"
YEAR_AND_KIND = re.compile(_YEAR + r"\s+" + _KINDS)
"""An instrument named by its year and its kind: ``the 1951 Convention``."""


def year_and_kind(text: str) -> set[tuple[str, str]]:
    """The (year, kind) pairs a form holds, the year anywhere in it and the kind one of its words.

    >>> sorted(year_and_kind("1951 Refugee Convention"))
    [('1951', 'Convention')]
    """
    return {(year, kind) for year in re.findall(_YEAR, text) for kind in re.findall(r"\b" + _KINDS, text)}


def url_key(url: str) -> str:
    """A web address as compared.

    >>> url_key("http://www.UNHCR.org/figures-at-a-glance.html")
    'unhcr.org/figures-at-a-glance.html'
    >>> url_key("www.ohchr.org/EN/NewsEvents/Pages/ DisplayNews.aspx.")
    'ohchr.org/EN/NewsEvents/Pages/DisplayNews.aspx'
    >>> url_key(r"https://example.org/BRI\\(2022\\)7_EN.pdf")
    'example.org/BRI(2022)7_EN.pdf'
    """
    text = re.sub(r"\\(?=[()\[\]_*])", "", re.sub(r"\s+", "", url)).rstrip(".,;:)]").removesuffix("/")
    text = re.sub(r"^https?://", "", text, flags=re.I)
    text = re.sub(r"^www\.", "", text, flags=re.I)
    host, slash, path = text.partition("/")
    return host.casefold() + slash + path


def dates_in(text: str) -> list[tuple[int, int, str]]:
    """(start, end, ISO date) of each date written ``22 June 2018``.

    >>> dates_in("news release, 22 June 2018. Available")
    [(14, 26, '2018-06-22')]
    """
    return [
        (m.start(), m.end(), f"{m.group(3)}-{_MONTHS.index(m.group(2)) + 1:02d}-{int(m.group(1)):02d}")
        for m in _DATE.finditer(text)
    ]


__all__ = [
    "DESIGNATION",
    "FUNCTION_WORDS",
    "URL",
    "YEAR_AND_KIND",
    "dates_in",
    "designations",
    "fold",
    "loose_key",
    "main_title",
    "quoted_titles",
    "title_key",
    "url_key",
    "variants",
    "without_first_word",
    "year_and_kind",
]
