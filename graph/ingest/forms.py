"""How names are compared: typographic folding, title keys, the variant forms of a name, URLs and dates in words.

A source writes a title the way its style guide wants (“Global compact for
safe, orderly and regular migration”, ``EU-Turkey joint action plan``), the
graph the way its curators did (``Global Compact for Safe, Orderly and Regular
Migration``, ``EU-Turkey Joint Action Plan (2015)``). The functions here make
the two comparable without guessing:

- ``fold`` replaces curly quotes, apostrophes and dashes by their plain forms,
  one character for one, so that offsets in the folded text are offsets in the
  original;
- ``title_key`` is a title compared without case, punctuation or spacing;
- ``variants`` gives the other ways a form is written: without a trailing
  parenthesis (``(2015)``, ``(African Union)``), with dotted initials closed up
  (``U.S.C.`` → ``USC``), and with an organisation's acronym written out or
  the other way round (``AU`` ↔ ``African Union``);
- ``main_title`` is a title before its subtitle (``Humanitarianism`` of
  ``Humanitarianism: the unacceptable face of solidarity``), the way a short
  citation repeats it;
- ``url_key`` is a web address without scheme, ``www.``, case of the host and
  a final slash, and with the spaces a PDF's line breaks leave in it removed;
- ``dates_in`` finds ``22 June 2018`` and gives it as ``2018-06-22``.
"""

from __future__ import annotations

import re

_FOLD = str.maketrans({"‘": "'", "’": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "–": "-", "—": "-", "‐": "-", "‑": "-"})
_TRAILING_PARENTHESIS = re.compile(r"\s*\([^()]*\)\s*$")
_DOTTED_INITIALS = re.compile(r"\b(?:[A-Z]\.){2,}")
_MONTHS = "January February March April May June July August September October November December".split()
_DATE = re.compile(r"\b(\d{1,2})\s+(" + "|".join(_MONTHS) + r")\s+(\d{4})\b")
URL = re.compile(r"(?:https?://|www\.)[^\s<>\"”]+(?:(?<=[/\-_=&?])\s[^\s<>\"”]+)*")
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
    return [v for n, v in enumerate(found) if v != form and v not in found[:n]]


def url_key(url: str) -> str:
    """A web address as compared.

    >>> url_key("http://www.UNHCR.org/figures-at-a-glance.html")
    'unhcr.org/figures-at-a-glance.html'
    >>> url_key("www.ohchr.org/EN/NewsEvents/Pages/ DisplayNews.aspx.")
    'ohchr.org/EN/NewsEvents/Pages/DisplayNews.aspx'
    """
    text = re.sub(r"\s+", "", url).rstrip(".,;:)]").removesuffix("/")
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


__all__ = ["URL", "dates_in", "fold", "main_title", "title_key", "url_key", "variants"]
