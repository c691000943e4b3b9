"""A document's locators and the mentions in them: segmentation, then linking over each locator's text.

Mentions are read in the texts that do not repeat each other: numbered
paragraphs (a sub-paragraph's mentions are given to the sub-paragraph, with
offsets in its own text) and footnotes; in a document without paragraph
numbers, the text of each heading's section and the footnotes. Offsets are
character offsets in the locator's normalised text, the text the draft holds.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

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
    """Segment a text and link the mentions of each locator."""
    segmentation = segment(text)
    subs: dict[str, list[Segment]] = {}
    for sub in segmentation.of_kind("paragraph"):
        if sub.parent:
            subs.setdefault(sub.parent, []).append(sub)
    mentions = [
        _retarget(mention, subs.get(carrier.key, []))
        for carrier in carriers(segmentation)
        for mention in linker.mentions(carrier.key, carrier.text)
    ]
    return Analysis(segmentation, tuple(mentions))


__all__ = ["Analysis", "analyse", "carriers"]
