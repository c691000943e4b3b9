"""What can be wrong with a document given to ingest, as one error class with a stable code per problem.

``api/routes/ingest.py`` turns each code into its HTTP status; the CLI prints
the message and exits 2. Every check runs before anything is written.
"""

from __future__ import annotations

from typing import Any

from graph.errors import GraphError

PROBLEMS: dict[str, str] = {
    "empty_document": "the file holds no text",
    "unreadable_document": "the file cannot be read as text, HTML or PDF",
    "unsupported_format": "the file is of a kind ingest does not read",
    "document_too_large": "the file is larger than ingest accepts",
    "already_ingested": "a document with this symbol is already in the graph or among the drafts",
    "no_paragraphs": "no numbered paragraphs were found",
    "invalid_option": "an option of the ingest request is malformed",
}
"""Every problem code, with what it means."""


class IngestError(GraphError):
    """A document that cannot be ingested; ``code`` is one of ``PROBLEMS``."""

    def __init__(self, code: str, message: str, **where: Any) -> None:
        if code not in PROBLEMS:
            raise ValueError(f"unknown ingest problem {code!r}")
        super().__init__(message, **where)
        self.code = code


__all__ = ["PROBLEMS", "IngestError"]
