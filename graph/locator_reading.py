"""How a source text is read into locators: paragraphs, footnotes and headings with their text.

What is read as a locator, in a PDF extraction or a web page:

- a *paragraph* starts a line with ``37.``; paragraphs are numbered in sequence
  from 1, which tells them from a line that starts with a year or ``17/6.``. A
  text with fewer than five numbered lines does not number its paragraphs (its
  ``1.``–``3.`` quote an article). Sub-paragraphs ``(a)``, ``(b)``… follow in
  sequence inside one, as ``37(a)``; the paragraph's text includes them.
- a *footnote* is a note ``12 See…``, ``¹² Id.`` or ``¹²Id.``, numbered in
  sequence, with its wrapped lines. Markers in the running text
  (``solidarity.12``, ``solidarity¹²``) stay in the paragraph's text.
- a *heading* is an enumerated title (``IV. Title``, ``A. Title``, wrapped lines
  included), a short line without final punctuation in a text with one
  paragraph per line, or, in a text without paragraph numbers, a run-in title
  (``Short title. The paragraph…``) or a short block ending in a short line.
  Its text is its section, up to the next heading.

Page furniture (the document symbol and job number at page tops, page numbers,
footnote rules, the link list a PDF extraction adds) belongs to no locator.
``graph.locator_index`` turns a reading into ids and hashes.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

MIN_NUMBERED_PARAGRAPHS = 5

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_PARAGRAPH = re.compile(r"\s*(\d{1,3})\.\s+\S")
_SUBPARAGRAPH = re.compile(r"\s*\(([a-z])\)\s+\S")
_SUPERSCRIPT_NOTE = re.compile(r"\s*([⁰¹²³⁴⁵⁶⁷⁸⁹]+)\s*\S")
_NOTE = re.compile(r"\s*(\d{1,3})(?:\s+\S|[A-Z“\"])")  # "12 See…" or, glued by the extraction, "12See…"
_ENUMERATED_HEADING = re.compile(r"\s*(?:[IVXL]+|[A-Z])\.\s+(?=\S)")
_RUN_IN = re.compile(r"(?P<title>[A-Z][^.,]{2,}?)\.\s+[A-Z“\"(]")
_FURNITURE = tuple(
    re.compile(pattern)
    for pattern in (
        r"_{5,}",  # the rule above a page's footnotes
        r"https?://\S+",  # the links a PDF extraction lists at a page's end
        r"[A-Z]{1,3}(?:/[A-Z0-9.]+){2,}",  # the document symbol at a page top: A/73/206
        r"(?:\d{2}-\d{5}\s+)?\d{1,3}/\d{1,3}(?:\s+\d{2}-\d{5})?",  # job number and page: 18-12036 16/23
        r"(?:GE\.)?\d{2}-\d{5}",
        r"\d{1,3}",  # a page number
    )
)
_SENTENCE_END = re.compile(r"[.!?][”’\"')\]*]*$")
_FINAL_PUNCTUATION = ".,;:!?…"
_UNPUNCTUATED_HEADING_END = '.,;:”’"'
_HEADING_WORDS = 20
_RUN_IN_WORDS = 12
_UNWRAPPED_LINE = 200  # a line this long is a whole paragraph: the text is not wrapped
_SHORT_LINE = 0.75  # of the text's usual line length: a wrapped line that ends its block early


def normalise(text: str) -> str:
    """Collapse every run of whitespace to one space.

    >>> normalise("  37. The   text\\n of a paragraph ")
    '37. The text of a paragraph'
    """
    return re.sub(r"\s+", " ", text).strip()


def text_hash(text: str) -> str:
    """The SHA-256 (hex) of a text's normalised form."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


def heading_title(text: str) -> str:
    """A heading as it is compared: normalised, casefolded, without final punctuation.

    >>> heading_title("  Giving voice to migrants.  ")
    'giving voice to migrants'
    """
    return normalise(text).casefold().rstrip(_FINAL_PUNCTUATION + " ")


@dataclass
class Reading:
    """The locators :func:`read_source` finds in a text, with their normalised text."""

    paragraphs: dict[str, str] = field(default_factory=dict)
    footnotes: dict[str, str] = field(default_factory=dict)
    body: list[str] = field(default_factory=list)
    """The running text line by line: no notes, no page furniture."""
    heading_starts: list[tuple[int, str]] = field(default_factory=list)
    """(line of ``body``, title) of each heading the layout marks."""

    def headings(self) -> dict[str, str]:
        """Each heading's title (:func:`heading_title`) and the text of its section."""
        return self.sections(self.heading_starts)

    def sections(self, starts: Iterable[tuple[int, str]]) -> dict[str, str]:
        """The text from each start to the next one; a title met twice keeps its first section."""
        ordered = sorted(starts)
        lines = sorted({line for line, _title in ordered})
        sections: dict[str, str] = {}
        for start, title in ordered:
            end = next((line for line in lines if line > start), len(self.body))
            sections.setdefault(heading_title(title), normalise(" ".join(self.body[start:end])))
        return sections

    def opening_at(self, title: str) -> int | None:
        """The line of ``body`` a cited heading begins (casefolded, ending at a word boundary), if any."""
        wanted = heading_title(title)
        for start in range(len(self.body)):
            following = normalise(" ".join(self.body[start : start + 8])).casefold()
            if following.startswith(wanted) and not following[len(wanted) : len(wanted) + 1].isalnum():
                return start
        return None


def _heading_shaped(line: str) -> bool:
    """A line that can be a heading on its own: short, no final punctuation, not a list item."""
    text = line.strip().rstrip("*_ ")
    return (
        bool(text)
        and len(text.split()) <= _HEADING_WORDS
        and not text.endswith(tuple(".,;:…"))
        and not re.match(r"[•*\-–]\s", line.strip())
    )


class _Reader:
    """One pass over the lines of a text, in order: a state machine of the locator being read."""

    def __init__(self, numbered: bool, unwrapped: bool, width: int) -> None:
        self.numbered, self.unwrapped, self.width = numbered, unwrapped, width
        self.body: list[str] = []
        self.paragraphs: dict[str, list[str]] = {}
        self.notes: dict[str, list[str]] = {}
        self.titles: list[tuple[int, list[str]]] = []  # (line of body, title lines)
        self.paragraph: list[str] | None = None
        self.subparagraph: list[str] | None = None
        self.note: list[str] | None = None
        self.heading: list[str] | None = None  # an enumerated heading that may wrap onto the next line
        self.block: list[str] = []  # lines since the last block start (wrapped text without numbers)
        self.block_start = True
        self.next_paragraph, self.next_note, self.next_letter, self.number = 1, 1, "a", ""

    def read(self, lines: Iterable[str]) -> Reading:
        for line in lines:
            self._feed(line)
        return Reading(
            paragraphs={n: normalise(" ".join(v)) for n, v in self.paragraphs.items()},
            footnotes={n: normalise(" ".join(v)) for n, v in self.notes.items()},
            body=self.body,
            heading_starts=[(start, " ".join(title)) for start, title in self.titles],
        )

    def _feed(self, line: str) -> None:
        indented = line[:1].isspace()
        if any(pattern.fullmatch(line.strip()) for pattern in _FURNITURE):
            self.note = self.heading = None
        elif self._note_start(line, indented) or self._paragraph_start(line) or self._subparagraph_start(line):
            pass
        elif self._enumerated_heading(line, indented):
            pass
        elif self.note is not None and not indented and not self.unwrapped:
            self.note.append(line)  # a note's wrapped line; the running text resumes indented or on a new page
        elif self.heading is not None and not indented:
            self.heading.append(line)
            self.body.append(line)
        elif self.unwrapped and _heading_shaped(line):
            self._start_heading(line, line.strip())
        else:
            self.note = self.heading = None
            self._running_text(line)

    def _note_start(self, line: str, indented: bool) -> bool:
        superscript = _SUPERSCRIPT_NOTE.match(line)
        ascii_number = _NOTE.match(line)
        if superscript:
            number = superscript.group(1).translate(_SUPERSCRIPTS)
        elif ascii_number and (indented or self.note is not None or self.unwrapped):
            number = ascii_number.group(1)  # only where notes are: a block of its own, or after a note
        else:
            return False
        if int(number) != self.next_note:
            return False
        self.next_note += 1
        self.note, self.heading = [line], None
        self.notes[number] = self.note
        return True

    def _paragraph_start(self, line: str) -> bool:
        match = _PARAGRAPH.match(line) if self.numbered else None
        if not match or int(match.group(1)) != self.next_paragraph:
            return False
        self.next_paragraph += 1
        self.number, self.next_letter = match.group(1), "a"
        self.note = self.heading = self.subparagraph = None
        self.paragraph = self.paragraphs[self.number] = []
        self._running_text(line)
        return True

    def _subparagraph_start(self, line: str) -> bool:
        match = _SUBPARAGRAPH.match(line) if self.paragraph is not None else None
        if not match or match.group(1) != self.next_letter:
            return False
        self.next_letter = chr(ord(self.next_letter) + 1)
        self.note = self.heading = None
        self.subparagraph = self.paragraphs[f"{self.number}({match.group(1)})"] = []
        self._running_text(line)
        return True

    def _enumerated_heading(self, line: str, indented: bool) -> bool:
        match = _ENUMERATED_HEADING.match(line)
        # Wrapped text sets a heading apart, so its first line is indented; "VII. Finally, …" in a paragraph is not.
        if not match or not (indented or self.unwrapped) or (self.unwrapped and not _heading_shaped(line)):
            return False
        self._start_heading(line, line[match.end() :])
        self.heading = None if self.unwrapped else self.titles[-1][1]
        return True

    def _start_heading(self, line: str, title: str) -> None:
        self.note = self.heading = self.paragraph = self.subparagraph = None
        self.titles.append((len(self.body), [title]))
        self.body.append(line)
        self.block, self.block_start = [], True

    def _running_text(self, line: str) -> None:
        self.body.append(line)
        for lines in (self.paragraph, self.subparagraph):
            if lines is not None:
                lines.append(line)
        if not self.numbered and not self.unwrapped:
            self._unmarked_heading(line)

    def _unmarked_heading(self, line: str) -> None:
        """Run-in titles, and short blocks ending in a short line, in wrapped text without paragraph numbers."""
        if self.block_start:
            self.block = []
            run_in = _RUN_IN.match(line.strip())
            if run_in and len(run_in.group("title").split()) <= _RUN_IN_WORDS:
                self.titles.append((len(self.body) - 1, [run_in.group("title")]))
        self.block.append(line)
        short = len(line.strip()) < _SHORT_LINE * self.width
        unpunctuated = not line.rstrip().endswith(tuple(_UNPUNCTUATED_HEADING_END))
        if short and unpunctuated and len(self.block) <= 3 and len(" ".join(self.block).split()) <= 2 * _HEADING_WORDS:
            self.titles.append((len(self.body) - len(self.block), list(self.block)))
        self.block_start = short or bool(_SENTENCE_END.search(line.rstrip()))


def _usual_width(lines: list[str]) -> int:
    lengths = sorted(len(line.strip()) for line in lines)
    return lengths[int(0.9 * (len(lengths) - 1))] if lengths else 0


def read_source(text: str) -> Reading:
    """Find the locators of a source text (see the module's description of what counts)."""
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    unwrapped = any(len(line) > _UNWRAPPED_LINE for line in lines)
    reading = _Reader(True, unwrapped, _usual_width(lines)).read(lines)
    if sum("(" not in number for number in reading.paragraphs) < MIN_NUMBERED_PARAGRAPHS:
        reading = _Reader(False, unwrapped, _usual_width(lines)).read(lines)
    return reading


__all__ = ["MIN_NUMBERED_PARAGRAPHS", "Reading", "heading_title", "normalise", "read_source", "text_hash"]
