"""The locator index: the paragraphs, footnotes and headings of each source text, as ids and hashes.

The data cite the five source documents by locator (A/73/206 para. 37, fn. 12,
a heading). The texts themselves stay outside the repository, so the project
ships this index instead: per document, the id of every locator and the
SHA-256 of that locator's text with its whitespace collapsed. It holds no
text of the sources, not even the headings: a heading's key is the hash of its
normalised title (:func:`heading_key`). How a text is read into locators is
``graph.locator_reading``.

An *opening* is a heading the data cite that the layout does not mark (a web
page's paragraphs, cited by their first words) and that begins a line of the
text. The text alone cannot say where such a locator ends, so the data say
which ones to record; everything else is read from the text alone. Each
document also records the hash of its whole text, so that ``solidarity-kg
locator-index --check`` notices any change of a source.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from graph.errors import DataLoadError
from graph.locator_reading import heading_title, read_source, text_hash

INDEX_FILE = "locator-index.json"
FORMAT = 1
KINDS = ("paragraphs", "footnotes", "headings", "openings")

SOURCE_FILES: dict[str, str] = {
    "https://w3id.org/solidarity-kg/id/doc/A-73-206": "000_80ec1a5730856bc5.txt",
    "https://w3id.org/solidarity-kg/id/doc/ie-input-gcm": "001_4566e53bcffd7e8c.txt",
    "https://w3id.org/solidarity-kg/id/doc/ohchr-ie-solidarity-page": "002_9c611f6178a4742c.txt",
    "https://w3id.org/solidarity-kg/id/doc/A-HRC-38-40": "003_eddaeeb45808282f.txt",
    "https://w3id.org/solidarity-kg/id/doc/ajil-unbound-2024": "004_2a2a5be1d97200e5.txt",
}
"""The documents the data cite, by IRI, and their files in the shared sources folder."""


def heading_key(text: str) -> str:
    """The index key of a heading: the SHA-256 of :func:`heading_title`.

    >>> heading_key("Introduction") == heading_key("INTRODUCTION.")
    True
    """
    return hashlib.sha256(heading_title(text).encode("utf-8")).hexdigest()


def locator_id(value: str) -> str:
    """The index id of a paragraph or footnote number as the data write it.

    >>> locator_id("15 (a)")
    '15(a)'
    """
    return re.sub(r"\s+", "", value)


def document_entry(text: str, source: str, cited: Iterable[str] = ()) -> dict[str, Any]:
    """The index entry of one document: ids and hashes of its locators, no text.

    ``cited`` are the heading texts the data cite in this document; those the
    layout does not mark but that begin a line are recorded as openings.
    """
    reading = read_source(text)
    headings = reading.headings()
    starts = list(reading.heading_starts)
    for title in sorted(set(cited)):
        start = None if heading_title(title) in headings else reading.opening_at(title)
        if start is not None:
            starts.append((start, title))
    marked = {heading_title(title) for _start, title in reading.heading_starts}
    openings = {title: section for title, section in reading.sections(starts).items() if title not in marked}
    return {
        "source": source,
        "text": text_hash(text),
        "paragraphs": {number: text_hash(body) for number, body in reading.paragraphs.items()},
        "footnotes": {number: text_hash(body) for number, body in reading.footnotes.items()},
        "headings": {heading_key(title): text_hash(body) for title, body in headings.items()},
        "openings": {heading_key(title): text_hash(body) for title, body in openings.items()},
    }


def build_index(
    sources_dir: Path, cited: Mapping[str, Iterable[str]] | None = None, files: Mapping[str, str] = SOURCE_FILES
) -> dict[str, Any]:
    """The index of every document in ``files`` (IRI to file name in ``sources_dir``)."""
    cited = cited or {}
    documents = {
        iri: document_entry(_source_text(sources_dir, iri, name), name, cited.get(iri, ())) for iri, name in files.items()
    }
    return {
        "about": "Locators of the source texts: ids and SHA-256 hashes of their whitespace-normalised text, "
        "no text. Regenerate with: solidarity-kg locator-index --sources DIR",
        "format": FORMAT,
        "documents": documents,
    }


def dumps(index: Mapping[str, Any]) -> str:
    """The index as the file holds it: sorted keys, so the same sources give the same bytes."""
    return json.dumps(index, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _source_text(sources_dir: Path, document: str, name: str) -> str:
    path = sources_dir / name
    if not path.is_file():
        raise DataLoadError(f"the source text of {document} is not in {sources_dir}", file=name)
    return path.read_text(encoding="utf-8")


def load_index(path: Path) -> dict[str, Any]:
    """Read an index file; ``DataLoadError`` if it is not one."""
    try:
        index = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:  # invalid UTF-8 or JSON
        raise DataLoadError(f"not a locator index: {error}", file=str(path)) from None
    if not isinstance(index, dict) or not isinstance(index.get("documents"), dict):
        raise DataLoadError('not a locator index: no "documents" object', file=str(path))
    return index


def has_locator(index: Mapping[str, Any], document: str, kind: str, value: str) -> bool:
    """Whether a locator as the data write it (kind ``paragraph``, ``footnote`` or ``heading``) is in the index."""
    entry = index["documents"].get(document)
    if entry is None:
        return False
    if kind == "heading":
        return any(heading_key(value) in entry[maps] for maps in ("headings", "openings"))
    return locator_id(value) in entry[f"{kind}s"]


def cited_headings(data_dir: Path) -> dict[str, set[str]]:
    """The heading texts the data files cite, per document IRI."""
    from rdflib import Graph
    from rdflib.namespace import DCTERMS, RDF

    from graph.namespaces import SKG

    graph = Graph()
    for path in sorted(data_dir.glob("*.ttl")):
        graph.parse(path, format="turtle")
    cited: dict[str, set[str]] = {}
    for node in graph.subjects(RDF.type, SKG.Heading):
        document, text = graph.value(node, DCTERMS.isPartOf), graph.value(node, SKG.headingText)
        if document is not None and text is not None:
            cited.setdefault(str(document), set()).add(str(text))
    return cited


def missing_headings(index: Mapping[str, Any], cited: Mapping[str, Iterable[str]]) -> list[str]:
    """The cited headings the index has neither as heading nor as opening, as ``document: text``."""
    return sorted(
        f"{_short(document)}: {text}"
        for document, texts in cited.items()
        if document in index["documents"]
        for text in texts
        if not has_locator(index, document, "heading", text)
    )


def differences(old: Mapping[str, Any], new: Mapping[str, Any], labels: Mapping[str, str] | None = None) -> list[str]:
    """What changed from ``old`` to ``new``, one line each; ``labels`` names heading keys (key to text)."""
    labels = labels or {}
    lines = [f"format {old.get('format')} -> {new.get('format')}"] if old.get("format") != new.get("format") else []
    old_documents, new_documents = old.get("documents", {}), new.get("documents", {})
    for document in sorted(set(old_documents) | set(new_documents)):
        before, after = old_documents.get(document), new_documents.get(document)
        if before is None or after is None:
            lines.append(f"{_short(document)}: document {'added' if before is None else 'removed'}")
            continue
        if before.get("source") != after.get("source"):
            lines.append(f"{_short(document)}: source file {before.get('source')} -> {after.get('source')}")
        if before.get("text") != after.get("text"):
            lines.append(f"{_short(document)}: the source text changed")
        for kind in KINDS:
            lines += _kind_differences(document, kind, before.get(kind, {}), after.get(kind, {}), labels)
    return lines


def _kind_differences(
    document: str, kind: str, before: Mapping[str, str], after: Mapping[str, str], labels: Mapping[str, str]
) -> list[str]:
    lines = []
    for locator in sorted(set(before) | set(after), key=_natural):
        if before.get(locator) == after.get(locator):
            continue
        change = "added" if locator not in before else "removed" if locator not in after else "changed"
        name = repr(labels[locator]) if locator in labels else f"{locator[:12]}…" if len(locator) == 64 else locator
        lines.append(f"{_short(document)}: {kind[:-1]} {name} {change}")
    return lines


def _natural(locator: str) -> tuple[int, str]:
    number = re.match(r"\d+", locator)
    return (int(number.group()) if number else 1 << 30, locator)


def _short(document: str) -> str:
    return document.rsplit("/", 1)[-1]


__all__ = [
    "FORMAT",
    "INDEX_FILE",
    "KINDS",
    "SOURCE_FILES",
    "build_index",
    "cited_headings",
    "differences",
    "document_entry",
    "dumps",
    "has_locator",
    "heading_key",
    "load_index",
    "locator_id",
    "missing_headings",
]
