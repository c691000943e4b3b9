"""Read the bytes of a document into plain text: UTF-8 text, HTML (the standard library's parser) or PDF (pypdf).

pypdf rather than pdfplumber: it is pure Python with no dependencies, is kept
up (the PyPDF project), and its layout-free extraction gives the same kind of
lines as the five source texts, which the segmenter already reads (page
furniture, wrapped lines, notes at the foot of each page). pdfplumber adds
pdfminer.six, Pillow and pypdfium2 for positions the segmenter does not use.
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

MAX_BYTES = 20 * 2**20
"""The largest file read (a UN report is well under 1 MiB as PDF)."""
MAX_PAGES = 400

FORMATS = ("text", "html", "pdf")
_BLOCKS = frozenset(
    "p div br h1 h2 h3 h4 h5 h6 li tr section article header footer blockquote dt dd ul ol table nav main aside".split()
)
_SKIPPED = frozenset("script style noscript template head svg".split())
_HTML_START = re.compile(rb"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|p|div|h[1-6])\b", re.I | re.S)


def detect_format(data: bytes, name: str = "", media_type: str | None = None) -> str:
    """``text``, ``html`` or ``pdf``: a PDF by its first bytes, else from the media type, the file's name, the markup.

    >>> detect_format(b"%PDF-1.7 ...")
    'pdf'
    >>> detect_format(b"<!DOCTYPE html><p>x</p>")
    'html'
    >>> detect_format(b"1. A paragraph.", "report.txt")
    'text'
    """
    if data.startswith(b"%PDF-"):
        return "pdf"  # the bytes say so, whatever the name or the declared type
    kind = (media_type or "").split(";")[0].strip().lower()
    by_type = {"application/pdf": "pdf", "text/html": "html", "application/xhtml+xml": "html", "text/plain": "text"}
    if kind in by_type:
        return by_type[kind]
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    by_suffix = {"pdf": "pdf", "html": "html", "htm": "html", "xhtml": "html", "txt": "text", "text": "text"}
    if suffix in by_suffix:
        return by_suffix[suffix]
    return "html" if _HTML_START.match(data[:4096]) else "text"


def decode_text(data: bytes) -> str:
    """Bytes as text: UTF-8 (a BOM allowed), else Windows-1252; ``ValueError`` for binary data."""
    if b"\x00" in data:
        raise ValueError("the file holds NUL bytes: it is not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")  # raises UnicodeDecodeError (a ValueError) on bytes cp1252 lacks


class _TextOfHtml(HTMLParser):
    """The text of a page, one line per block, list items marked with a bullet, scripts and styles left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag in _BLOCKS:
            self.parts.append("\n  • " if tag == "li" else "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_text(markup: str) -> str:
    """The text of an HTML page, one line per block.

    >>> html_text("<html><head><title>T</title></head><body><h1>Title</h1><p>One &amp; two.</p></body></html>")
    'Title\\nOne & two.'
    """
    parser = _TextOfHtml()
    parser.feed(markup)
    parser.close()
    lines = (line.rstrip() for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line.strip())


def pdf_text(data: bytes) -> str:
    """The text of a PDF, page after page (pypdf's plain extraction); ``ValueError`` naming what failed."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ValueError("the PDF is encrypted")
        if len(reader.pages) > MAX_PAGES:
            raise ValueError(f"the PDF has more than {MAX_PAGES} pages")
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    # a damaged PDF reaches pypdf's internals in many ways; each is the file's fault, not ours
    except (PyPdfError, KeyError, IndexError, TypeError, AttributeError, RecursionError, ZeroDivisionError, OSError) as error:
        raise ValueError(f"the PDF cannot be read ({type(error).__name__}: {error})") from None


def document_text(data: bytes, name: str = "", media_type: str | None = None) -> tuple[str, str]:
    """(format, text) of a document's bytes; ``ValueError`` if they cannot be read as that format."""
    kind = detect_format(data, name, media_type)
    if kind == "pdf":
        return kind, pdf_text(data)
    text = decode_text(data)
    return kind, html_text(text) if kind == "html" else text


__all__ = ["FORMATS", "MAX_BYTES", "MAX_PAGES", "decode_text", "detect_format", "document_text", "html_text", "pdf_text"]
