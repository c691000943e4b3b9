"""A document's locators and the mentions in them: segmentation, then linking over each locator's text.

Mentions are read in the texts that do not repeat each other: numbered
paragraphs (a sub-paragraph's mentions are given to the sub-paragraph, with
offsets in its own text) and footnotes; in a document without paragraph
numbers, the text of each heading's section and the footnotes. Then the
document is read as a whole (``graph.ingest.citations``): notes that cite
again what another note cites, and States left unnamed in the text that the
footnote of their sentence names, and instruments named again by a shorter
word ("this joint action plan", ``graph.ingest.anaphora``). Offsets are character offsets in the
locator's normalised text, the text the draft holds.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from graph.ingest.anaphora import short_references
from graph.ingest.citations import identified_states, repeated_citations, states_named
from graph.ingest.linking import Linker, Mention
from graph.ingest.segments import Segment, Segmentation, segment


@dataclass(frozen=True)
class Analysis:
    """The locators of a document and the mentions found in them."""

    segmentation: Segmentation
    mentions: tuple[Mention, ...]

    def by_status(self, status: str) -> list[Mention]:
        """The mentions in one state (``linked``, ``ambiguous``, ``proposed``, ``unlinked``)."""
        return [m for m in self.mentions if m.status == status]


def _retarget(mention: Mention, subs: list[Segment]) -> Mention:
    for sub in subs:
        if sub.start <= mention.start and mention.end <= sub.start + len(sub.text):
            return replace(mention, locator=sub.key, start=mention.start - sub.start, end=mention.end - sub.start)
    return mention


def carriers(segmentation: Segmentation) -> list[Segment]:
    """The locators whose texts are read for mentions (see the module's description)."""
    if segmentation.numbered:
        texts = [s for s in segmentation.of_kind("paragraph") if not s.parent]
    else:
        texts = segmentation.of_kind("heading")
    return texts + segmentation.of_kind("footnote")


def analyse(text: str, linker: Linker) -> Analysis:
    """Segment a text and link the mentions of each locator, then read what notes repeat and identify."""
    segmentation = segment(text)
    subs: dict[str, list[Segment]] = {}
    for sub in segmentation.of_kind("paragraph"):
        if sub.parent:
            subs.setdefault(sub.parent, []).append(sub)
    read = {carrier.key: linker.mentions(carrier.key, carrier.text) for carrier in carriers(segmentation)}
    notes = segmentation.of_kind("footnote")
    added = repeated_citations([(note.number, note.key, note.text, read[note.key]) for note in notes])
    for note in notes:
        read[note.key] = sorted(read[note.key] + added[note.number], key=lambda m: (m.start, m.end))
    shorter = short_references(carriers(segmentation), read, segmentation.marker_offsets, linker.gazetteer)
    for key, extra in shorter.items():
        read[key] = sorted(read[key] + extra, key=lambda m: (m.start, m.end))
    states = {note.number: states_named(read[note.key]) for note in notes}
    markers: dict[str, list[tuple[int, str]]] = {}
    for number, (key, offset) in segmentation.marker_offsets.items():
        markers.setdefault(key, []).append((offset, number))
    mentions = []
    for carrier in carriers(segmentation):
        found = read[carrier.key]
        if carrier.kind != "footnote":
            found = identified_states(found, carrier.text, sorted(markers.get(carrier.key, [])), states)
        mentions += [_retarget(mention, subs.get(carrier.key, [])) for mention in found]
    return Analysis(segmentation, tuple(mentions))


__all__ = ["Analysis", "analyse", "carriers"]
