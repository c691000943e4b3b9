"""Cut a document's text into its locators: numbered paragraphs and their (a)–(z), footnotes, sections and headings.

The reading itself is ``graph.locator_reading.read_source``, the reader the
locator index is built with, so an ingested report is cut exactly where the
curated data cite it (page furniture, wrapped lines, notes at a page's foot,
note numbers glued to their first word). This module turns that reading into
locators with the project's paths (``para/50/a``, ``fn/4``, ``sect/III-A``,
``sec/<slug>``) and adds what the index does not need:

- the number of each enumerated heading (``III.``, ``A.``), which makes it a
  section inside its parent;
- in a text without paragraph numbers, the passage before the first heading,
  cited by its opening words (it has no heading to be cited by; in a web page,
  whose lines are whole paragraphs, each passage);
- in wrapped text without paragraph numbers, headings that the layout sets
  like running text: a line of its own between two sentences (it follows a
  sentence's end, has no final punctuation and the next line begins with a
  capital), and, in a text that sets its principles as run-in titles, the
  first sentence after such a heading when it is as short as a title and has
  no comma;
- the authors' notes of an article (``*``, ``†``, ``‡`` notes whose markers
  stand in the title block), which a PDF puts at the foot of the first page:
  they belong to the title block, which has no locator, so they are read with
  the first section rather than the one the page break put them in;
- the footnote markers of the running text (``solidarity.12``, ``States¹²``),
  taken in sequence so that a year or a number in the text is not read as one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graph.locator_reading import heading_title, normalise, read_source

OPENING_WORDS = 8
"""Words of a passage that cite it when it has no heading."""
_ENUMERATED = re.compile(r"\s*([IVXL]+|[A-Z])\.\s+")
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI")
_FURNITURE_TITLES = re.compile(r"skip to (?:the )?(?:main )?content|view this page in:?|share this page", re.I)
_MARKER = re.compile(r"(?:[.,;:!?”’\"')\]]\s?|[^\W\d_])(\d{1,3})(?=[\s.,;:)”’]|$)|([⁰¹²³⁴⁵⁶⁷⁸⁹]+)")
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_UNWRAPPED_LINE = 200
_BULLET = re.compile(r"\s*[•*\-–]\s")
_SENTENCE_END = re.compile(r"[.!?][”’\"')\]]*$")
_RUN_IN_TITLE = re.compile(r"([A-Z][^.,;:]{2,}?)\.\s+[A-Z“\"(]")
_AUTHOR_NOTE = re.compile(r"\s*\[?([*†‡§¶])\]?\s+\S")
_HEADING_WORDS = 20


@dataclass(frozen=True)
class Segment:
    """One locator: its kind, its path under the document's IRI, its number as printed and its text."""

    kind: str
    """``paragraph``, ``footnote``, ``section`` (numbered heading) or ``heading``."""
    key: str
    number: str = ""
    text: str = ""
    title: str = ""
    parent: str = ""
    """The key of the enclosing paragraph (a sub-paragraph) or section (a subsection)."""
    start: int = 0
    """Where the text begins in the parent paragraph's text (sub-paragraphs)."""
    order: int = 0
    notes: tuple[str, ...] = ()
    """Numbers of the footnotes whose markers are in this locator's text."""


@dataclass(frozen=True)
class Segmentation:
    """The locators of a document in reading order, and whether its paragraphs are numbered."""

    segments: tuple[Segment, ...]
    numbered: bool
    marker_offsets: dict[str, tuple[str, int]] = field(default_factory=dict)
    """Footnote number -> (key of the locator holding its marker, offset in that locator's text)."""

    def of_kind(self, kind: str) -> list[Segment]:
        """The locators of one kind, in reading order."""
        return [s for s in self.segments if s.kind == kind]


def slug(text: str) -> str:
    """A path segment from a title.

    >>> slug("Giving voice to migrants (and the most vulnerable)")
    'giving-voice-to-migrants-and-the-most-vulnerable'
    """
    words = re.findall(r"[a-z0-9]+", normalise(text).casefold().replace("’", "").replace("'", ""))
    return "-".join(words)[:80].strip("-") or "untitled"


def _paragraphs(paragraphs: dict[str, str]) -> list[Segment]:
    found: list[Segment] = []
    for number, text in paragraphs.items():
        match = re.fullmatch(r"(\d+)\(([a-z])\)", number)
        if match is None:
            found.append(Segment("paragraph", f"para/{number}", number, text))
            continue
        parent = paragraphs.get(match.group(1), "")
        start = max(parent.find(text), 0)
        found.append(
            Segment(
                "paragraph",
                f"para/{match.group(1)}/{match.group(2)}",
                f"{match.group(1)} ({match.group(2)})",
                text,
                parent=f"para/{match.group(1)}",
                start=start,
            )
        )
    return found


def _section_number(token: str, state: dict[str, str]) -> tuple[str, str]:
    """(number as printed, parent number) of an enumerated heading; ``state`` holds the current top section."""
    expected = _ROMAN[_ROMAN.index(state["top"]) + 1] if state["top"] in _ROMAN[:-1] else "I"
    if token == expected or (token in _ROMAN and not state["top"] and len(token) > 1):
        state["top"] = token
        return token, ""
    return (f"{state['top']}.{token}", state["top"]) if state["top"] else (token, "")


def _headings(reading_body: list[str], starts: list[tuple[int, str]], texts: dict[str, str]) -> list[Segment]:
    found: list[Segment] = []
    state, orders, used = {"top": ""}, dict[str, int](), set[str]()
    for line, title in sorted(starts):
        if _FURNITURE_TITLES.fullmatch(normalise(title)):
            continue
        text = texts.get(heading_title(title), normalise(title))
        match = _ENUMERATED.match(reading_body[line]) if line < len(reading_body) else None
        if match:
            number, parent = _section_number(match.group(1), state)
            orders[parent] = orders.get(parent, 0) + 1
            found.append(
                Segment(
                    "section",
                    "sect/" + number.replace(".", "-"),
                    number,
                    text,
                    normalise(title),
                    "sect/" + parent.replace(".", "-") if parent else "",
                    order=orders[parent],
                )
            )
            continue
        key, n = "sec/" + slug(title), 2
        while key in used:
            key, n = f"sec/{slug(title)}-{n}", n + 1
        used.add(key)
        found.append(Segment("heading", key, "", text, normalise(title)))
    return found


def _without_title_block(headings: list[Segment], starts: list[tuple[int, str]], texts: dict[str, str]) -> list[Segment]:
    """Without the lines that open the text above its first section (series, title, authors): one title each."""
    block: set[str] = set()
    for line, title in sorted(starts):
        if line != len(block) or texts.get(heading_title(title)) != normalise(title):
            break
        block.add(normalise(title))
    return [h for h in headings if h.kind != "heading" or h.title not in block]


def _openings(body: list[str], first_heading: int, whole: bool = False) -> list[tuple[int, str]]:
    """Passages before the first heading, each cited by its opening words (``whole``: one passage of wrapped lines)."""
    starts = []
    for line, text in enumerate(body[:first_heading]):
        if _BULLET.match(text) or _FURNITURE_TITLES.fullmatch(normalise(text)):
            continue
        words = normalise(" ".join(body[line:first_heading]) if whole else text).split()
        if whole and len(words) < 2 * OPENING_WORDS:
            return []
        starts.append((line, " ".join(words[:OPENING_WORDS]).rstrip('.,;:“”"(')))
        if whole:
            break
    return starts


def _set_like_text(body: list[str], starts: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Headings of wrapped text laid out like running text (see the module's description)."""
    taken = {line for line, _title in starts}
    run_ins = sum(body[line].strip().startswith(title + ".") for line, title in starts if line < len(body))
    found = []
    for line in range(1, len(body) - 1):
        text, following = body[line].strip(), body[line + 1].strip()
        if line in taken or not _SENTENCE_END.search(body[line - 1].rstrip()) or _BULLET.match(body[line]):
            continue
        if text.endswith(tuple(".,;:…")) or len(text.split()) > _HEADING_WORDS or not following[:1].isupper():
            continue
        found.append((line, text))
        run_in = _RUN_IN_TITLE.match(normalise(" ".join(body[line + 1 : line + 4])))
        if run_ins >= 2 and line + 1 not in taken and run_in and len(run_in.group(1).split()) <= _HEADING_WORDS:
            found.append((line + 1, run_in.group(1)))
    return found


def _author_notes(body: list[str], headings: list[Segment], starts: list[tuple[int, str]]) -> dict[int, int]:
    """Line of each author's note -> line of the first section, where it is read (see the module's description)."""
    kept = {h.title for h in headings}
    ordered = sorted(starts)
    first = next((line for line, title in ordered if normalise(title) in kept), None)
    if first is None or first == 0:
        return {}
    symbols = set(re.findall(r"[*†‡§¶]", " ".join(body[:first])))
    notes = {}
    for line in range(first + 1, len(body)):
        note = _AUTHOR_NOTE.match(body[line])
        if note and note.group(1) in symbols:
            notes[line] = first
    return notes


def _sections(body: list[str], starts: list[tuple[int, str]], moved: dict[int, int]) -> dict[str, str]:
    """The text of each heading's section (``Reading.sections``), with the ``moved`` lines read in another one."""
    ordered = sorted(starts)
    lines = sorted({line for line, _title in ordered})
    sections: dict[str, str] = {}
    for start, title in ordered:
        end = next((line for line in lines if line > start), len(body))
        own = [body[n] for n in range(start, end) if n not in moved]
        own += [body[n] for n, target in sorted(moved.items()) if target == start]
        sections.setdefault(heading_title(title), normalise(" ".join(own)))
    return sections


def _markers(carriers: list[Segment], footnotes: set[str]) -> dict[str, tuple[str, int]]:
    """Footnote number -> (carrier key, offset): glued numbers taken in sequence through the document."""
    found: dict[str, tuple[str, int]] = {}
    expected = 1
    for carrier in carriers:
        for match in _MARKER.finditer(carrier.text):
            number = str(int((match.group(1) or match.group(2)).translate(_SUPERSCRIPTS)))
            if number in footnotes and expected <= int(number) <= expected + 2 and number not in found:
                found[number] = (carrier.key, match.start(1) if match.group(1) else match.start(2))
                expected = int(number) + 1
    return found


def _attach(segments: list[Segment], markers: dict[str, tuple[str, int]]) -> list[Segment]:
    """Each locator with the notes marked in its text; a marker in a sub-paragraph belongs to it, not its parent."""
    by_key = {s.key: s for s in segments}
    notes: dict[str, list[str]] = {}
    for number, (key, offset) in sorted(markers.items(), key=lambda item: int(item[0])):
        target = key
        for sub in segments:
            if sub.parent == key and sub.kind == "paragraph" and sub.start <= offset < sub.start + len(sub.text):
                target = sub.key
        notes.setdefault(target, []).append(number)
    return [
        Segment(s.kind, s.key, s.number, s.text, s.title, s.parent, s.start, s.order, tuple(notes.get(s.key, ())))
        if s.key in notes
        else s
        for s in by_key.values()
    ]


def segment(text: str) -> Segmentation:
    """The locators of a document's text (see the module's description)."""
    reading = read_source(text)
    numbered = any("(" not in n for n in reading.paragraphs)
    lines = [line for line in text.splitlines() if line.strip()]
    starts = list(reading.heading_starts)
    if not numbered:
        unwrapped = any(len(line.rstrip()) > _UNWRAPPED_LINE for line in lines)
        if not unwrapped:
            starts += _set_like_text(reading.body, starts)
        marked = [line for line, title in starts if not _FURNITURE_TITLES.fullmatch(normalise(title))]
        starts += _openings(reading.body, min(marked, default=len(reading.body)), whole=not unwrapped)
    texts = reading.sections(starts)
    headings = _without_title_block(_headings(reading.body, starts, texts), starts, texts)
    moved = _author_notes(reading.body, headings, starts) if not numbered else {}
    if moved:
        texts = _sections(reading.body, starts, moved)
        headings = _without_title_block(_headings(reading.body, starts, texts), starts, texts)
    paragraphs = _paragraphs(reading.paragraphs)
    footnotes = [Segment("footnote", f"fn/{n}", n, body) for n, body in reading.footnotes.items()]
    carriers = [p for p in paragraphs if not p.parent] if numbered else [h for h in headings if h.kind == "heading"]
    markers = _markers(carriers, {f.number for f in footnotes})
    ordered = _attach(headings + paragraphs + footnotes, markers)
    return Segmentation(tuple(ordered), numbered, markers)


__all__ = ["OPENING_WORDS", "Segment", "Segmentation", "segment", "slug"]
