"""Instruments a passage names again by a shorter word: "the joint action plan", "this plan", "the Covenant".

A text names an instrument in full once, then goes on with a definite word
for it: ``the``, ``this``, ``that`` or ``its`` (or a possessive, ``the
European Union's``) followed by the instrument's kind noun (``plan``,
``Covenant``, ``Pact``, ``Compact``…) and up to three of the words just
before that noun in one of its names (``the Global Compact`` for the
``Global Compact for Safe, Orderly and Regular Migration``, ``this joint
action plan`` for the ``EU/Turkey 2015 Joint Action Plan``). Such a word is
read as a mention of an instrument only when that instrument was named
before it, in a narrow context:

- in a paragraph (or a section of a document without paragraph numbers):
  earlier in the same one, or anywhere in the one before it;
- in a footnote: earlier in the same note, or in the sentence of the text
  that carries the note's marker (``See general comment No. 31 … States
  parties to the Covenant`` under a sentence naming the International
  Covenant on Civil and Political Rights).

One instrument of the context with those words: the mention is linked to it;
several: it is ambiguous between them; none: nothing is read (a plan the
context did not name stays a plan). A word already read as part of another
mention is left to it. Only instruments are read this way, not documents:
"the report" or "the study" name too many things.
"""

from __future__ import annotations

import re
from collections import defaultdict

from graph.ingest.forms import FUNCTION_WORDS, fold
from graph.ingest.gazetteer import ID, Gazetteer, kind_of
from graph.ingest.linking import Mention
from graph.ingest.segments import Segment

KIND_NOUNS = frozenset(
    "agenda agreement charter code compact constitution convention covenant declaration directive framework fund "
    "initiative memorandum pact plan protocol statute treaty".split()
)
"""The nouns an instrument's name ends a short reference with ("the Covenant", "this plan")."""
CONFIDENCE = 0.7
_WORD = re.compile(r"[^\W_]+(?:[-/][^\W_]+)*")
_DETERMINER = r"(?:\b(?:[Tt]he|[Tt]his|[Tt]hat|[Ii]ts)|['’]s)\s+(?:(?:19|20)\d\d\s+)?"
_NAME_GOES_ON = r"(?!\s+(?-i:(?:on|of|for|against|to|in|and|the)\s+)?(?-i:[A-Z]))"
"""Not the first words of a longer name: ``the International Covenant on Economic …`` is no short reference."""
_SENTENCE_END = re.compile(r"[.!?][”’\"')\]]*\s+(?=[A-Z“\"(])")


def short_forms(gazetteer: Gazetteer) -> dict[str, set[tuple[str, ...]]]:
    """Instrument -> the word sequences (casefolded) that end a short reference to it: a kind noun of one of its
    names with up to three of the words before it (``("joint", "action", "plan")``, ``("covenant",)``)."""
    found: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for form, names in gazetteer.names.items():
        words = [w.casefold() for w in _WORD.findall(fold(form))]
        for name in names:
            if kind_of(name.node) != "instrument" or not name.node.startswith(ID + "instrument/"):
                continue
            for end, word in enumerate(words):
                if word in KIND_NOUNS:
                    for start in range(max(0, end - 3), end + 1):
                        if words[start] not in FUNCTION_WORDS:
                            found[name.node].add(tuple(words[start : end + 1]))
    return found


def _sentence_before(text: str, offset: int) -> int:
    """Where the sentence that a marker at ``offset`` closes begins (a marker may follow the sentence's full stop)."""
    head = text[:offset].rstrip().rstrip(".,;:”’\"')")
    ends = list(_SENTENCE_END.finditer(head))
    return ends[-1].end() if ends else 0


def _linked(mentions: list[Mention], start: int = 0, end: int | None = None) -> list[str]:
    """The instruments linked in a span of a locator, in order."""
    return [
        m.nodes[0]
        for m in mentions
        if m.status == "linked" and m.kind == "instrument" and m.start >= start and (end is None or m.end <= end)
    ]


def _read(
    key: str, text: str, mentions: list[Mention], before: list[str], forms: dict[str, set[tuple[str, ...]]]
) -> list[Mention]:
    """The short references of one text to the instruments of ``before`` and to those it names before them."""
    nodes_here = set(before) | set(_linked(mentions))
    sequences = sorted({s for node in nodes_here for s in forms.get(node, ())}, key=lambda s: (-len(s), s))
    if not sequences:
        return []
    taken = [(m.start, m.end) for m in mentions]
    words = "|".join(r"\s+".join(re.escape(w) for w in s) for s in sequences)
    found: list[Mention] = []
    for match in re.finditer(rf"{_DETERMINER}({words})(?![\w-]){_NAME_GOES_ON}", text, re.I):
        start, end = match.span(1)
        if any(start < e and s < end for s, e in taken):
            continue
        sequence = tuple(w.casefold() for w in _WORD.findall(fold(match.group(1))))
        earlier = before + _linked(mentions, end=start) + _linked(found)
        nodes = sorted({n for n in earlier if sequence in forms.get(n, ())})
        if not nodes:
            continue
        status = "linked" if len(nodes) == 1 else "ambiguous"
        confidence = round(CONFIDENCE / len(nodes), 2)
        found.append(Mention(key, start, end, text[start:end], "instrument", status, tuple(nodes), confidence, "anaphora"))
    return found


def short_references(
    carriers: list[Segment], read: dict[str, list[Mention]], markers: dict[str, tuple[str, int]], gazetteer: Gazetteer
) -> dict[str, list[Mention]]:
    """Locator key -> the short references it makes (see the module's description): ``carriers`` are the texts
    read, in order, ``read`` their mentions, ``markers`` each footnote number's (carrier key, marker offset)."""
    forms = short_forms(gazetteer)
    added: dict[str, list[Mention]] = {}
    previous: list[str] = []
    for carrier in carriers:
        if carrier.kind != "footnote":
            added[carrier.key] = _read(carrier.key, carrier.text, read[carrier.key], previous, forms)
            previous = _linked(read[carrier.key]) + _linked(added[carrier.key])
    texts = {carrier.key: carrier.text for carrier in carriers}
    for note in (c for c in carriers if c.kind == "footnote"):
        before: list[str] = []
        holder, offset = markers.get(note.number, ("", 0))
        if holder in texts:
            mentions = sorted(read[holder] + added.get(holder, []), key=lambda m: (m.start, m.end))
            before = _linked(mentions, _sentence_before(texts[holder], offset), offset)
        added[note.key] = _read(note.key, note.text, read[note.key], before, forms)
    return added


__all__ = ["CONFIDENCE", "KIND_NOUNS", "short_forms", "short_references"]
