"""What the person ingesting says of a document (symbol, title, date, kind), checked, and the IRIs it gives."""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.ingest.errors import IngestError
from graph.namespaces import BASE

KINDS = ("report", "submission", "web-page", "article")
"""Kinds of document; only a report must number its paragraphs."""
_SYMBOL = re.compile(r"[A-Z]{1,8}(?:/[A-Za-z0-9.\-()]{1,24}){1,6}")
_DATE = {
    re.compile(r"\d{4}"): "gYear",
    re.compile(r"\d{4}-(?:0[1-9]|1[0-2])"): "gYearMonth",
    re.compile(r"\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])"): "date",
}


@dataclass(frozen=True)
class DocumentInfo:
    """A document to ingest: its symbol (``A/74/185``), and optionally its title, date and kind."""

    symbol: str
    title: str | None = None
    date: str | None = None
    kind: str = "report"

    def __post_init__(self) -> None:
        if not _SYMBOL.fullmatch(self.symbol):
            raise IngestError("invalid_option", f"{self.symbol!r} is not a document symbol such as A/74/185", option="symbol")
        if self.kind not in KINDS:
            raise IngestError("invalid_option", f"kind must be one of {', '.join(KINDS)}, not {self.kind!r}", option="kind")
        if self.date is not None and self.date_type is None:
            raise IngestError("invalid_option", f"date must be YYYY, YYYY-MM or YYYY-MM-DD, not {self.date!r}", option="date")
        if self.title is not None and not (0 < len(self.title.strip()) <= 500):
            raise IngestError("invalid_option", "title must hold 1 to 500 characters", option="title")

    @property
    def date_type(self) -> str | None:
        """The XSD datatype of the date (``gYear``, ``gYearMonth``, ``date``)."""
        return next((kind for pattern, kind in _DATE.items() if self.date and pattern.fullmatch(self.date)), None)

    @property
    def path(self) -> str:
        """The document's IRI path: ``doc/<symbol with / → ->``.

        >>> DocumentInfo("A/HRC/38/40").path
        'doc/A-HRC-38-40'
        """
        return "doc/" + self.symbol.replace("/", "-")

    @property
    def stem(self) -> str:
        """The file name of its draft, without suffix: ``A-HRC-38-40``."""
        return self.path.removeprefix("doc/")

    @property
    def graph(self) -> str:
        """The named graph of its draft (a ``drafts`` folder's file loads into ``…/graph/drafts/<stem>``)."""
        return f"{BASE}graph/drafts/{self.stem}"


__all__ = ["KINDS", "DocumentInfo"]
