"""Find the mentions in a locator's text and link each to the nodes it may name.

Candidates come from five readers, each a regular expression: document
symbols (``A/HRC/38/40``, also split over two lines or with a footnote number
glued to it), resolution numbers (``resolution 35/3``, ``resolutions 7/5 and
17/6``), articles of the draft declaration (``article 6 (1) of the revised
draft``), the names of the gazetteer, and two kinds of unnamed reference:
States left unnamed ("one European State") and organisation-shaped names
that the graph does not hold. Where candidates overlap, a linkable one wins
over an unlinked one, then the longer one.

Each mention ends in one of four states: ``linked`` (one node), ``ambiguous``
(several), ``proposed`` (a node the graph lacks, whose IRI follows from the
text and a standard: a UN symbol, an ISO 3166 code, a resolution of a named
body) and ``unlinked`` (nothing to link to; the reviewer decides).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from graph.ingest.gazetteer import ID, Gazetteer, symbol_key

STATUSES = ("linked", "ambiguous", "proposed", "unlinked")
_SYMBOL = re.compile(r"(?<![\w/])(?:A|E|S|ST|CCPR|CERD|CRC|CMW|CEDAW|CESCR|CRPD|CAT)(?:/\s?[A-Za-z0-9.\-]*[A-Za-z0-9]){2,}")
_RESOLUTIONS = re.compile(r"\b[Rr]esolutions?\s+(\d{1,4}/\d{1,3}(?:(?:\s*,\s*|\s+and\s+|\s*,\s*and\s+)\d{1,4}/\d{1,3})*)")
_NUMBER = re.compile(r"\d{1,4}/\d{1,3}")
_ARTICLE = re.compile(r"\b[Aa]rticles?\s+(\d{1,2})(?:\s?\((\d{1,2})\))?(?:\s?\(([a-z])\))?")
_UNNAMED = re.compile(
    r"\b(?i:one|another|a|two|three|four|several|some|certain)\s+(?:(?:[A-Z][a-z]+|[a-z]+-[a-z]+)\s+){0,2}"
    r"(?:State|States|country|countries|Government)\b"
)
_ORGANISATION = re.compile(
    r"\b(?:[A-Z][\w’'\-]+\s+(?:(?:of|for|on|and|the)\s+)*){0,6}"
    r"(?:Organization|Organisation|Union|Council|Committee|Commission|Office|Agency|Fund|Programme|Bank|Court"
    r"|Network|Association|Foundation|Institute|Alliance|Federation|Movement|Coalition)\b"
    r"(?:\s+(?:of|for|on)(?:\s+the)?(?:\s+[A-Z][\w’'\-]+)+(?:\s+(?:of|for|on|and)(?:\s+[A-Z][\w’'\-]+)+)*)?"
)
_DRAFT = re.compile(
    r"\b(?:[Rr]evised\s+)?[Dd]raft\s+[Dd]eclaration(?:\s+on\s+(?:the\s+right\s+to|human\s+rights\s+and)\s+"
    r"international\s+solidarity)?",
    re.I,
)
_SENTENCE_START = frozenset("The In On A An This That Its His Her Their At By For From With As Both Such".split())
_BODIES = (("Human Rights Council", "hrc"), ("General Assembly", "ga"), ("Commission on Human Rights", "chr"))
DECLARATION = ID + "instrument/declaration-international-solidarity/"


@dataclass(frozen=True)
class Mention:
    """A span of a locator's text and what it may name."""

    locator: str
    start: int
    end: int
    text: str
    kind: str
    status: str
    nodes: tuple[str, ...]
    confidence: float
    how: str


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    kind: str
    status: str
    nodes: tuple[str, ...]
    confidence: float
    how: str

    @property
    def rank(self) -> tuple[int, int, int]:
        """Unnamed references first (their words are no name), then linkable ones, then the longer."""
        return (2 if self.how == "unnamed" else self.status != "unlinked", self.end - self.start, -self.start)


class Linker:
    """Finds and links the mentions of one gazetteer's nodes in texts."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer

    @cached_property
    def _names(self) -> re.Pattern[str] | None:
        forms = sorted(self.gazetteer.names, key=lambda form: (-len(form), form))
        if not forms:
            return None
        return re.compile(r"(?<![\w\-])(?:" + "|".join(re.escape(f) for f in forms) + r")(?![\w\-])")

    def _candidate(self, start: int, end: int, kind: str, nodes: list[str], confidence: float, how: str) -> _Candidate:
        nodes = sorted(set(nodes))
        if not nodes:
            return _Candidate(start, end, kind, "unlinked", (), 0.0, how)
        if all(node in self.gazetteer.known for node in nodes):
            status = "linked" if len(nodes) == 1 else "ambiguous"
            return _Candidate(start, end, kind, status, tuple(nodes), round(confidence / len(nodes), 2), how)
        return _Candidate(start, end, kind, "proposed", tuple(nodes), round(min(confidence, 0.6) / len(nodes), 2), how)

    def _symbols(self, text: str) -> list[_Candidate]:
        found = []
        for match in _SYMBOL.finditer(text):
            symbol, end = match.group(), match.end()
            if not re.search(r"\d", symbol):
                continue
            node = self.gazetteer.symbols.get(symbol_key(symbol))
            for cut in (1, 2, 3):  # a footnote number glued to the symbol's last part
                if node is None and symbol[-cut:].isdigit() and symbol_key(symbol[:-cut]) in self.gazetteer.symbols:
                    node, end = self.gazetteer.symbols[symbol_key(symbol[:-cut])], end - cut
            proposed = ID + "doc/" + re.sub(r"\s+", "", symbol).replace("/", "-")
            found.append(self._candidate(match.start(), end, "instrument", [node or proposed], 0.98, "symbol"))
        return found

    def _resolutions(self, text: str) -> list[_Candidate]:
        found = []
        for match in _RESOLUTIONS.finditer(text):
            before = text[max(0, match.start() - 80) : match.start()]
            body = next((code for name, code in _BODIES if name in before), None)
            for number in _NUMBER.finditer(match.group(1)):
                start, end = match.start(1) + number.start(), match.start(1) + number.end()
                nodes = sorted(self.gazetteer.resolutions.get(number.group(), ()))
                if len(nodes) > 1 and body:
                    nodes = [n for n in nodes if f"/{body}-res-" in n] or nodes
                if not nodes and body:
                    nodes = [f"{ID}instrument/{body}-res-{number.group().replace('/', '-')}"]
                found.append(self._candidate(start, end, "instrument", nodes, 0.95, "resolution"))
        return found

    def _articles(self, text: str) -> list[_Candidate]:
        found = []
        for match in _ARTICLE.finditer(text):
            window = text[match.end() : match.end() + 90].casefold()
            if "draft" not in window and "declaration" not in window:
                continue  # an article of some other instrument
            versions = ["2023"] if "revised" in window else ["2017", "2023"]
            parts = [p for p in match.groups() if p]
            nodes = []
            for version in versions:
                exact, article = DECLARATION + f"{version}/art/" + "/".join(parts), DECLARATION + f"{version}/art/{parts[0]}"
                nodes += [exact] if exact in self.gazetteer.known else [article] if article in self.gazetteer.known else []
            found.append(self._candidate(match.start(), match.end(), "provision", nodes, 0.9, "article"))
        return found

    def _named(self, text: str) -> list[_Candidate]:
        if self._names is None:
            return []
        found = []
        for match in self._names.finditer(text):
            names = self.gazetteer.names[match.group()]
            kinds = sorted({n.kind for n in names})
            nodes = [n.node for n in names]
            confidence = max(n.confidence for n in names)
            found.append(self._candidate(match.start(), match.end(), kinds[0], nodes, confidence, min(n.how for n in names)))
        return found

    def _draft(self, text: str) -> list[_Candidate]:
        """The draft declaration named as a work ("the revised draft declaration")."""
        work = DECLARATION.rstrip("/")
        return [self._candidate(m.start(), m.end(), "instrument", [work], 0.85, "alt") for m in _DRAFT.finditer(text)]

    def _unnamed(self, text: str) -> list[_Candidate]:
        found = [self._candidate(m.start(), m.end(), "state", [], 0.0, "unnamed") for m in _UNNAMED.finditer(text)]
        for match in _ORGANISATION.finditer(text):
            start = match.start()
            words = match.group().split()
            while words and words[0] in _SENTENCE_START:
                start += len(words[0]) + 1
                words = words[1:]
            if len(words) >= 2:
                found.append(self._candidate(start, match.end(), "organisation", [], 0.0, "unknown name"))
        return found

    def mentions(self, locator: str, text: str) -> list[Mention]:
        """The mentions in one text, without overlaps, in reading order."""
        candidates = self._symbols(text) + self._resolutions(text) + self._articles(text) + self._named(text)
        candidates += self._draft(text) + self._unnamed(text)
        chosen: list[_Candidate] = []
        for candidate in sorted(candidates, key=lambda c: c.rank, reverse=True):
            if all(candidate.end <= c.start or candidate.start >= c.end for c in chosen):
                chosen.append(candidate)
        return [
            Mention(locator, c.start, c.end, text[c.start : c.end], c.kind, c.status, c.nodes, c.confidence, c.how)
            for c in sorted(chosen, key=lambda c: (c.start, c.end))
        ]


__all__ = ["DECLARATION", "STATUSES", "Linker", "Mention"]
