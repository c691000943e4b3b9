"""Find the mentions in a locator's text and link each to the nodes it may name.

Candidates come from readers, each a regular expression: document symbols
(``A/HRC/38/40``, also split over two lines or with a footnote number glued to
it, and the graph's other symbols however the line breaks cut them), resolution
numbers (``resolution 35/3``, ``resolutions 7/5, para. 1 (a); and 17/6``),
articles of the draft declaration (``article 6 (1) of the revised draft``), the
names of the gazetteer, the titles of works read without case or punctuation
(``forms.title_key``), quoted titles and their main titles (a short citation
repeats “Humanitarianism” for “Humanitarianism: the unacceptable face of
solidarity”), web addresses of the graph's documents, a publisher named with
the day of its release (``OHCHR, “…”, 22 June 2018``), and two kinds of
unnamed reference: States left unnamed ("one European State") and
organisation-shaped names that the graph does not hold. Where candidates
overlap, an unnamed reference wins, then a linkable one, then the longer one;
an actor inside the title of a work is a mention of its own (``Italy-Libya``
in the title of an article on the memorandum, the Conference of European
Churches in ``the Conference of European Churches case``), and so is a work
(the fund in the title of a page on one of its programmes).

A name joined by a hyphen or slash to another capitalised word is read
(``Mexico-US``, ``EU/Turkey``); a State's name or demonym after a compass or
region word is not (``North American``, ``Latin American``), nor a demonym
used for a language (``the Spanish word``, ``broken Spanish``).

Each mention ends in one of four states: ``linked`` (one node), ``ambiguous``
(several), ``proposed`` (a node the graph lacks, whose IRI follows from the
text and a standard: a UN symbol, an ISO 3166 code, a resolution of a named
body) and ``unlinked`` (nothing to link to; the reviewer decides).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from graph.ingest.forms import (
    FUNCTION_WORDS,
    URL,
    YEAR_AND_KIND,
    dates_in,
    designations,
    fold,
    loose_key,
    main_title,
    title_key,
    url_key,
)
from graph.ingest.gazetteer import ID, Gazetteer, Name, symbol_key

STATUSES = ("linked", "ambiguous", "proposed", "unlinked")
_SYMBOL = re.compile(r"(?<![\w/])(?:A|E|S|ST|CCPR|CERD|CRC|CMW|CEDAW|CESCR|CRPD|CAT)(?:/\s?[A-Za-z0-9.\-]*[A-Za-z0-9]){2,}")
_CITED_NUMBER = r"\d{1,4}/\d{1,3}(?:\s*\([^()]{1,20}\))?(?:,\s*paras?\.\s*\d+(?:\s*\([a-z]\))?(?:\s*(?:and|to|-|–)\s*\d+)?)?"
_RESOLUTIONS = re.compile(rf"\b[Rr]esolutions?\s+({_CITED_NUMBER}(?:(?:\s*[,;]\s*|\s+)(?:and\s+)?{_CITED_NUMBER})*)")
_NUMBER = re.compile(r"\d{1,4}/\d{1,3}")
_ARTICLE = re.compile(r"\b[Aa]rticles?\s+(\d{1,2})(?:\s?\((\d{1,2})\))?(?:\s?\(([a-z])\))?")
_MODIFIER = (
    r"(?:[A-Z][a-z]+|[a-z]+-[a-z]+|(?!(?:of|the|and|or|in|on|for|to|with|from|by|that|which|number|group|lot|few)\b)[a-z]{3,})"
)
_UNNAMED = re.compile(
    rf"\b(?i:one|another|a|an|two|three|four|five|several|some|certain|many)\s+(?:{_MODIFIER}\s+){{0,4}}"
    r"(?:State|States|country|countries|Government)\b"
    r"|\b(?i:that|this)\s+(?:[a-z]+(?:-[a-z]+)?\s+)?(?:State|country|Government)\b(?!\s+part)"
    r"|\b(?i:the)\s+(?:[a-z]+\s+)?(?:country|State|Government)\s+concerned\b"
    r"|\b(?i:the)\s+(?:partner|neighbouring|neighboring|host|relevant|latter)\s+(?:country|State|Government)\b"
)
"""Words that refer to a State without naming it: "one European State", "that country", "the country concerned"."""
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
_QUOTED = re.compile(r'"([^"]{2,300}?)[\s,.;:]*"|(?<![*\w])\*([^*\s][^*]{1,300}?)\*(?![*\w])|\[([^\[\]]{2,300})\]\(')
"""A quotation, an italic title (``*Title*``) or a link's text (``[Title](…)``): where a citation gives a title."""
_REGION_WORD = re.compile(r"(?:North|South|East|West|Central|Latin|Northern|Southern|Eastern|Western|Sub-Saharan)\s$")
_LANGUAGE_AFTER = re.compile(r"\s*(?:words?|language|languages|terms?|phrases?|expressions?|speakers?|-speaking|slang)\b")
_LANGUAGE_BEFORE = re.compile(r"\b(?:speaks?|spoke|speaking|broken|fluent)\s$", re.I)
_LONG_WORD = re.compile(r"[a-z]{5,}")
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
        return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(f) for f in forms) + r")(?!\w)")

    @cached_property
    def _actor_names(self) -> re.Pattern[str] | None:
        """The names of actors alone (States, organisations, other actors), to find them inside the title of a work."""
        kinds = ("state", "organisation", "actor")
        forms = sorted(
            (f for f, names in self.gazetteer.names.items() if all(n.kind in kinds for n in names)), key=lambda f: (-len(f), f)
        )
        return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(f) for f in forms) + r")(?!\w)") if forms else None

    @cached_property
    def _titles(self) -> tuple[re.Pattern[str] | None, dict[str, set[Name]], dict[str, set[Name]]]:
        """The titles of works as one pattern over folded text: any case, any punctuation and function words between
        the words; with the names of each title's key, and of each loose key (``forms.loose_key``)."""
        by_key: dict[str, set[Name]] = {}
        by_loose: dict[str, set[Name]] = {}
        for form, names in self.gazetteer.titles.items():
            by_key.setdefault(title_key(form), set()).update(names)
            by_loose.setdefault(loose_key(form), set()).update(n for n in names if n.how != "dropped")
        words = sorted({tuple(key.split()) for key in by_loose if len(key.split()) >= 2}, key=lambda w: (-len(" ".join(w)), w))
        if not words:
            return None, by_key, by_loose
        gap = r"(?:[\W_]+(?:" + "|".join(sorted(FUNCTION_WORDS)) + r"))*[\W_]+"
        alternatives = "|".join(gap.join(re.escape(word) for word in title) for title in words)
        return re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])", re.I), by_key, by_loose

    @cached_property
    def _known_symbols(self) -> re.Pattern[str] | None:
        """The graph's symbols, with a space allowed wherever a line break or a style may put one."""
        keys = sorted(self.gazetteer.symbols, key=lambda key: (-len(key), key))
        if not keys:
            return None
        alternatives = "|".join(r"\s?".join(re.escape(c) for c in key) for key in keys)
        return re.compile(rf"(?<![\w/])(?:{alternatives})(?![\w/])", re.I)

    def _candidate(self, start: int, end: int, kind: str, nodes: list[str], confidence: float, how: str) -> _Candidate:
        nodes = sorted(set(nodes))
        if not nodes:
            return _Candidate(start, end, kind, "unlinked", (), 0.0, how)
        if all(node in self.gazetteer.known for node in nodes):
            status = "linked" if len(nodes) == 1 else "ambiguous"
            return _Candidate(start, end, kind, status, tuple(nodes), round(confidence / len(nodes), 2), how)
        return _Candidate(start, end, kind, "proposed", tuple(nodes), round(min(confidence, 0.6) / len(nodes), 2), how)

    def _from_names(self, start: int, end: int, names: set[Name], how: str = "") -> _Candidate:
        kinds = sorted({n.kind for n in names})
        confidence = max(n.confidence for n in names)
        return self._candidate(start, end, kinds[0], [n.node for n in names], confidence, how or min(n.how for n in names))

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
        if self._known_symbols is not None:
            for match in self._known_symbols.finditer(text):
                node = self.gazetteer.symbols[symbol_key(match.group())]
                found.append(self._candidate(match.start(), match.end(), "instrument", [node], 0.98, "symbol"))
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

    def _named(self, text: str, pattern: re.Pattern[str] | None = None, span: tuple[int, int] | None = None) -> list[_Candidate]:
        pattern = pattern or self._names
        if pattern is None:
            return []
        found = []
        for match in pattern.finditer(text, *(span or (0, len(text)))):
            names = self.gazetteer.names[match.group()]
            if self._name_in_context(text, match.start(), match.end(), names):
                found.append(self._from_names(match.start(), match.end(), names))
        return found

    @staticmethod
    def _name_in_context(text: str, start: int, end: int, names: set[Name]) -> bool:
        """Whether a name stands as one: joined only to capitalised words, not a region's or a language's word."""
        kinds = {n.kind for n in names}
        before, after = text[max(0, start - 30) : start], text[end : end + 20]
        joined_left, joined_right = before[-1:] in ("-", "/"), after[:1] in ("-", "/")
        if (joined_left or joined_right) and not kinds <= {"state", "organisation"}:
            return False
        if joined_left and not re.search(r"(?<!\w)[A-Z][\w.]*[-/]$", before):
            return False
        if joined_right and not after[1:2].isupper():
            return False
        if "state" in kinds and _REGION_WORD.search(before):
            return False
        if any(n.how == "demonym" for n in names):
            next_word = re.match(r"\s*(\w*)", after)
            bare = next_word is None or not next_word.group(1) or next_word.group(1) in ("and", "or")
            if _LANGUAGE_AFTER.match(after) or _LANGUAGE_BEFORE.search(before) or (before.endswith(" in ") and bare):
                return False
        return True

    def _titled(self, text: str, span: tuple[int, int] | None = None) -> list[_Candidate]:
        """Titles of works in any case (``forms.title_key``), and quoted titles or main titles of works; within
        ``span``, the titles only (a work named in the title of another)."""
        pattern, by_key, by_loose = self._titles
        folded = fold(text)
        found = []
        if pattern is not None:
            for match in pattern.finditer(folded, *(span or (0, len(text)))):
                names = by_key.get(title_key(match.group()))
                if names:
                    found.append(self._from_names(match.start(), match.end(), names))
                elif match.group().count(" ") >= 2 and by_loose.get(loose_key(match.group())):
                    loose = {Name(n.node, n.kind, "variant") for n in by_loose[loose_key(match.group())]}
                    found.append(self._from_names(match.start(), match.end(), loose))
        for match in _QUOTED.finditer(folded) if span is None else ():
            group = next(n for n in (1, 2, 3) if match.group(n) is not None)
            quote = match.group(group)
            for key in (title_key(quote), title_key(main_title(quote))):
                if key and key in self.gazetteer.quoted:
                    found.append(self._from_names(match.start(group), match.end(group), self.gazetteer.quoted[key], "quoted"))
                    break
        return found

    def _addressed(self, text: str, named: list[_Candidate]) -> list[_Candidate]:
        """Works by their web address, and by their publisher named with the day they were issued."""
        found = []
        for match in URL.finditer(text):
            node = self.gazetteer.urls.get(url_key(match.group()))
            end = match.start() + len(match.group().rstrip(".,;:)]"))
            if node:
                found.append(self._candidate(match.start(), end, "instrument", [node], 0.9, "url"))
        publishers = {c.nodes[0] for c in named if c.status == "linked"}
        for start, end, date in dates_in(text):
            works = sorted(w for p in publishers for w in self.gazetteer.published.get((p, date), ()))
            if works:
                found.append(self._candidate(start, end, "instrument", works, 0.8, "publisher and date"))
            before = set(_LONG_WORD.findall(text[max(0, start - 80) : start].casefold()))
            dated = [
                n
                for n in sorted(self.gazetteer.dated.get(date, ()))
                if before & set(_LONG_WORD.findall(self._label(n).casefold()))
            ]
            if len(dated) == 1:
                found.append(self._candidate(start, end, "instrument", dated, 0.75, "kind and date"))
        return found

    def _label(self, node: str) -> str:
        return self.gazetteer.labels.get(node, "")

    def _designated(self, text: str) -> list[_Candidate]:
        """Instruments by their numbered designation; several share one, the words after it choose (``Conclusions
        XIV-1, United Kingdom``)."""
        found = []
        for start, end, key in designations(text):
            while key not in self.gazetteer.designations and re.search(r"[/.\-]\w+$", key[1]):
                cut = re.sub(r"[/.\-]\w+$", "", key[1])  # a footnote number glued to the number: "No. 7.7"
                end, key = end - (len(key[1]) - len(cut)), (key[0], cut)
            nodes = sorted(self.gazetteer.designations.get(key, ()))
            nodes = [n for n in nodes if not any(n.startswith(m + "/") for m in nodes)]  # the instrument, not its parts
            if len(nodes) > 1:
                after = set(re.findall(r"[A-Z]\w{3,}", re.split(r"[.;]\s", text[end : end + 60], maxsplit=1)[0]))
                nodes = [n for n in nodes if after & set(re.findall(r"[A-Z]\w{3,}", self._label(n)))] or nodes
            if nodes:
                found.append(self._candidate(start, end, "instrument", nodes, 0.85, "designation"))
        for match in YEAR_AND_KIND.finditer(text):
            nodes = sorted(self.gazetteer.by_year.get((match.group(1), match.group(2)), ()))
            nodes = [n for n in nodes if not any(n.startswith(m + "/") for m in nodes)]
            if len(nodes) == 1:
                found.append(self._candidate(match.start(), match.end(), "instrument", nodes, 0.8, "year and kind"))
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
        """The mentions in one text, without overlaps (but for names inside titles), in reading order."""
        named = self._named(text)
        candidates = self._symbols(text) + self._resolutions(text) + self._articles(text) + named
        candidates += self._titled(text) + self._addressed(text, named) + self._designated(text)
        candidates += self._draft(text) + self._unnamed(text)
        chosen: list[_Candidate] = []
        for candidate in sorted(candidates, key=lambda c: c.rank, reverse=True):
            if all(candidate.end <= c.start or candidate.start >= c.end for c in chosen):
                chosen.append(candidate)
        inner: list[_Candidate] = []
        for title in chosen:
            if title.kind == "instrument" and title.how not in ("symbol", "resolution", "url", "publisher and date"):
                found = self._named(text, self._actor_names, (title.start, title.end))
                # a work inside the title: after its first character, or from its start to before its last word
                last = max(m.start() for m in re.finditer(r"[^\W_]+", text[title.start : title.end])) + title.start
                for span in ((title.start + 1, title.end), (title.start, last)):
                    found += [w for w in self._titled(text, span) if w.nodes != title.nodes and w.how != "dropped"]
                inner += [c for c in found if c.status == "linked" and (c.start, c.end) != (title.start, title.end)]
        return [
            Mention(locator, c.start, c.end, text[c.start : c.end], c.kind, c.status, c.nodes, c.confidence, c.how)
            for c in sorted(chosen + inner, key=lambda c: (c.start, c.end, c.kind))
        ]


__all__ = ["DECLARATION", "STATUSES", "Linker", "Mention"]
