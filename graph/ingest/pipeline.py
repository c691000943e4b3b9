"""Ingest one document: read it, check it, segment and link it, and write its draft and review report.

Every check runs before anything is written, and the three files are written
to temporary names and then renamed, so a refused document leaves the drafts
folder as it was. Nothing depends on the clock or the machine: the same bytes
and options give the same files.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.ingest.analysis import Analysis, analyse
from graph.ingest.document import DocumentInfo
from graph.ingest.errors import IngestError
from graph.ingest.gazetteer import Gazetteer, symbol_key
from graph.ingest.linking import Linker
from graph.ingest.reading import MAX_BYTES, document_text
from graph.ingest.report import review, review_json, review_markdown
from graph.ingest.turtle import draft_turtle

SUFFIXES = (".ttl", ".review.json", ".review.md")
"""The files of one draft: the Turtle, the report as JSON, the report as Markdown."""


@dataclass(frozen=True)
class Draft:
    """A document ingested in memory: its analysis, its report, and the bytes of its three files."""

    info: DocumentInfo
    analysis: Analysis
    report: dict[str, Any]
    files: dict[str, bytes]


def read_checked(data: bytes, name: str, media_type: str | None) -> tuple[str, str]:
    """(format, text) of a document, or the ``IngestError`` that says what is wrong with it."""
    if len(data) > MAX_BYTES:
        raise IngestError("document_too_large", f"{name or 'the file'} is larger than {MAX_BYTES} bytes", limit=MAX_BYTES)
    if not data.strip():
        raise IngestError("empty_document", f"{name or 'the file'} is empty", file=name or None)
    try:
        kind, text = document_text(data, name, media_type)
    except ValueError as error:
        raise IngestError("unreadable_document", f"{name or 'the file'} cannot be read: {error}", file=name or None) from None
    if not text.strip():
        raise IngestError("empty_document", f"{name or 'the file'} holds no text ({kind})", file=name or None, format=kind)
    return kind, text


def prepare(
    data: bytes,
    info: DocumentInfo,
    gazetteer: Gazetteer,
    name: str = "",
    media_type: str | None = None,
    drafts: Path | None = None,
) -> Draft:
    """Everything ingest writes, in memory, after every check (``IngestError`` when one fails)."""
    if symbol_key(info.symbol) in gazetteer.symbols:
        raise IngestError("already_ingested", f"{info.symbol} is already in the graph", symbol=info.symbol)
    if drafts is not None and any((drafts / (info.stem + suffix)).exists() for suffix in SUFFIXES):
        raise IngestError("already_ingested", f"{info.symbol} already has a draft in {drafts}", symbol=info.symbol)
    kind, text = read_checked(data, name, media_type)
    analysis = analyse(text, Linker(gazetteer))
    segments = analysis.segmentation
    if info.kind == "report" and not segments.numbered:
        raise IngestError(
            "no_paragraphs", f"no numbered paragraphs found in {name or 'the file'}; a report numbers them", kind=info.kind
        )
    if not segments.segments:
        raise IngestError("no_paragraphs", f"no paragraphs, footnotes or headings found in {name or 'the file'}")
    digest = hashlib.sha256(data).hexdigest()
    source_name = Path(name).name or "upload"
    source = {"name": source_name, "format": kind, "sha256": digest, "characters": len(text)}
    report = review(info, analysis, gazetteer, source)
    files = {
        info.stem + ".ttl": draft_turtle(info, analysis, source_name, digest).encode("utf-8"),
        info.stem + ".review.json": review_json(report).encode("utf-8"),
        info.stem + ".review.md": review_markdown(report).encode("utf-8"),
    }
    return Draft(info, analysis, report, files)


def write_draft(draft: Draft, folder: Path) -> list[Path]:
    """Write a draft's files into ``folder``, each whole or not at all; refuse to replace an existing draft."""
    folder.mkdir(parents=True, exist_ok=True)
    targets = [folder / file_name for file_name in sorted(draft.files)]
    if any(target.exists() for target in targets):
        raise IngestError("already_ingested", f"{draft.info.symbol} already has a draft in {folder}", symbol=draft.info.symbol)
    temporary = [target.with_name(f".{target.name}.partial") for target in targets]
    try:
        for path, target in zip(temporary, targets, strict=True):
            path.write_bytes(draft.files[target.name])
        for path, target in zip(temporary, targets, strict=True):
            os.replace(path, target)
    finally:
        for path in temporary:
            path.unlink(missing_ok=True)
    return targets


def ingest(
    data: bytes, info: DocumentInfo, gazetteer: Gazetteer, folder: Path, name: str = "", media_type: str | None = None
) -> tuple[Draft, list[Path]]:
    """Check, extract and write one document's draft into ``folder``."""
    draft = prepare(data, info, gazetteer, name, media_type, drafts=folder)
    return draft, write_draft(draft, folder)


__all__ = ["SUFFIXES", "Draft", "ingest", "prepare", "read_checked", "write_draft"]
