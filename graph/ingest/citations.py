"""What a locator says through another: notes that repeat an earlier citation, and States a note identifies.

Two readings need the whole document rather than one locator's text:

- **Repeated citations.** A note that opens with ``Ibid.`` or ``Id.`` cites
  again the last citation of the note before it (after its last semicolon),
  so it names what that citation names (and, through a chain of them, what
  the first note of the chain named): the work, its publisher, what its title
  names, but not its authors, whom ``Ibid.`` does not name again. The
  mention is the word ``Ibid.``, linked to the same nodes, a little less
  confidently; ``Ibid.`` after a note that names nothing names nothing either.
  A back reference by number (``Author, supra note 13``, ``Author, “Title”
  (see footnote 38)``) cites again the works of that note, when that note
  holds the first name of the citation (its author or publisher): a number
  that points to another note than the one the citation repeats links
  nothing.
- **States identified in a note.** A paragraph that leaves a State unnamed
  ("one Southern European country", "the country concerned") and carries a
  footnote marker in the same sentence is read with that note: if the note
  names no more States than the words count (one for "one", "a", "that",
  "the … concerned"; two for "two"; any for "certain" or "several"), the
  unnamed words are linked to each of them; otherwise they stay ambiguous
  between the States the note names. Of several unnamed references before one
  marker, the note identifies the nearest one whose count it fits.
"""

from __future__ import annotations

import re
from dataclasses import replace

from graph.ingest.linking import Mention

_REPEAT = re.compile(r"\s*[\d⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3}\s*[*_]*\s*(Ibid|Id)\.?[*_]*(?=[\s.,;:]|$)", re.I)
_BACK_REFERENCE = re.compile(r"(?:\(\s*)?(?:see\s+(?:foot)?notes?|[*_]*supra[*_]*,?\s+notes?)\s+(\d{1,3})\b", re.I)
_CITED_NAME = re.compile(r"(?!(?:See|Ibid|Id|Also|Cf)\b)[A-Z][\w’'\-]{2,}")
_COUNTS = {"two": 2, "three": 3, "four": 4, "five": 5}
_ANY = frozenset("several some certain many other various".split())
_SENTENCE_END = re.compile(r"[.!?][”’\"')\]]*\s+(?=[A-Z“\"(])")
REPEAT_CONFIDENCE = 0.9
"""A repeated citation is as sure as the note it repeats, times this."""
IDENTIFIED_CONFIDENCE = 0.6


def _inherited(mention: Mention, locator: str, span: tuple[int, int], text: str, how: str) -> Mention:
    confidence = round(mention.confidence * REPEAT_CONFIDENCE, 2)
    return Mention(locator, span[0], span[1], text[span[0] : span[1]], mention.kind, "linked", mention.nodes, confidence, how)


def repeated_citations(notes: list[tuple[str, str, str, list[Mention]]]) -> dict[str, list[Mention]]:
    """The mentions each note adds by citing another again: ``notes`` is (number, key, text, mentions) in order."""
    added: dict[str, list[Mention]] = {}
    texts = {number: text for number, _key, text, _mentions in notes}
    linked: dict[str, list[Mention]] = {}
    previous: list[Mention] = []
    for number, key, text, mentions in notes:
        own = [m for m in mentions if m.status == "linked"]
        extra: list[Mention] = []
        repeat = _REPEAT.match(text)
        if repeat:
            span = (repeat.start(1), repeat.end(1) + (text[repeat.end(1) : repeat.end(1) + 1] == "."))
            extra += [_inherited(m, key, span, text, "ibid") for m in previous if m.kind != "person"]
        for back in _BACK_REFERENCE.finditer(text):
            citation = text[: back.start()].rsplit(";", 1)[-1]
            name = _CITED_NAME.search(citation)
            if name and name.group() in texts.get(back.group(1), ""):
                works = [m for m in linked.get(back.group(1), []) if m.kind == "instrument"]
                extra += [_inherited(m, key, back.span(), text, "cited again") for m in works]
        added[number] = extra
        linked[number] = own + extra
        last = text.rfind(";")  # what "Ibid." in the next note repeats: the last citation of this one
        previous = [m for m in linked[number] if m.start > last] or linked[number]
    return added


def _wanted(words: str) -> int | None:
    """How many States unnamed words refer to: a number, ``None`` for any number (``certain countries``)."""
    first = words.split()[0].casefold()
    if first in _COUNTS:
        return _COUNTS[first]
    if first in _ANY or words.rstrip().endswith(("States", "countries", "Governments")):
        return None
    return 1


def _marker_after(mention: Mention, text: str, markers: list[tuple[int, str]]) -> str | None:
    """The footnote whose marker ends the sentence of a mention (or stands in it), if any."""
    for offset, number in markers:
        if offset < mention.end:
            continue
        between = text[mention.end : offset]
        return None if _SENTENCE_END.search(between.rstrip(" .”’\"')")) else number
    return None


def identified_states(
    mentions: list[Mention], text: str, markers: list[tuple[int, str]], states_of_note: dict[str, list[str]]
) -> list[Mention]:
    """The mentions of one locator with each unnamed State read through the footnote that identifies it."""
    before_marker: dict[str, list[Mention]] = {}
    for mention in mentions:
        if mention.how == "unnamed" and mention.kind == "state":
            number = _marker_after(mention, text, markers)
            if number is not None and states_of_note.get(number):
                before_marker.setdefault(number, []).insert(0, mention)  # nearest to the marker first
    chosen: dict[int, tuple[str, bool]] = {}
    for number, candidates in before_marker.items():
        states = states_of_note[number]
        fitting = [m for m in candidates if (_wanted(m.text) or len(states)) >= len(states)]
        chosen[id(fitting[0] if fitting else candidates[0])] = (number, bool(fitting))
    found: list[Mention] = []
    for mention in mentions:
        if id(mention) not in chosen:
            found.append(mention)
            continue
        number, fits = chosen[id(mention)]
        states, how = states_of_note[number], f"identified in fn. {number}"
        if fits:
            found += [replace(mention, status="linked", nodes=(s,), confidence=IDENTIFIED_CONFIDENCE, how=how) for s in states]
        else:
            found.append(replace(mention, status="ambiguous", nodes=tuple(states), confidence=0.3, how=how))
    return found


def states_named(mentions: list[Mention]) -> list[str]:
    """The States a note names, in order, each once."""
    found: list[str] = []
    for mention in mentions:
        if mention.kind == "state" and mention.status == "linked" and mention.nodes[0] not in found:
            found.append(mention.nodes[0])
    return found


__all__ = ["IDENTIFIED_CONFIDENCE", "REPEAT_CONFIDENCE", "identified_states", "repeated_citations", "states_named"]
