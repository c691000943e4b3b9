"""Ingest a new document into a draft for curation: read, segment, link, write.

reading     bytes -> text (plain text, HTML, PDF through pypdf)
segments    text -> locators (paragraphs, sub-paragraphs, footnotes with their markers, sections, headings)
gazetteer   the store -> the names of the nodes it holds (and every State of ISO 3166)
linking     a locator's text -> mentions: linked, ambiguous, proposed or unlinked
analysis    segmentation and linking together, mentions on their most specific locator
document    the symbol, title, date and kind given, checked, and the IRIs they give
turtle      the draft as Turtle (its own named graph, everything marked as extracted)
report      the review report as JSON and Markdown
pipeline    the checks, then the three files, written whole or not at all
errors      what can be wrong with a document, one code per problem
"""

from graph.ingest.analysis import Analysis, analyse
from graph.ingest.document import KINDS, DocumentInfo
from graph.ingest.errors import PROBLEMS, IngestError
from graph.ingest.gazetteer import Gazetteer, build_gazetteer, gazetteer_of
from graph.ingest.linking import Linker, Mention
from graph.ingest.pipeline import SUFFIXES, Draft, ingest, prepare, write_draft
from graph.ingest.segments import Segment, Segmentation, segment

__all__ = [
    "KINDS",
    "PROBLEMS",
    "SUFFIXES",
    "Analysis",
    "DocumentInfo",
    "Draft",
    "Gazetteer",
    "IngestError",
    "Linker",
    "Mention",
    "Segment",
    "Segmentation",
    "analyse",
    "build_gazetteer",
    "gazetteer_of",
    "ingest",
    "prepare",
    "segment",
    "write_draft",
]
