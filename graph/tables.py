"""Tables as downloads: one ``Table`` written as CSV, XLSX or JSON, the same rows in each.

Spreadsheets run formulas: a cell that starts with ``=``, ``+``, ``-``, ``@``
(or a tab or carriage return) is written as text, never as a formula — in
CSV with a leading apostrophe (OWASP's advice), in XLSX with ``write_string``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import xlsxwriter

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "json": ("application/json", "json"),
}
"""Download formats: media type and file extension."""
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    """A column: the key of its value in each row, and its heading."""

    key: str
    heading: str


@dataclass(frozen=True)
class Table:
    """Rows of plain values (str, int, float, None) under named columns."""

    name: str
    columns: tuple[Column, ...]
    rows: tuple[Mapping[str, Any], ...]

    def cells(self) -> list[list[Any]]:
        """The rows as lists in column order (missing values as None)."""
        return [[row.get(c.key) for c in self.columns] for row in self.rows]


def table(name: str, columns: Sequence[tuple[str, str]], rows: Sequence[Mapping[str, Any]]) -> Table:
    """A Table from (key, heading) pairs and row mappings."""
    return Table(name, tuple(Column(k, h) for k, h in columns), tuple(rows))


def _safe(value: Any) -> Any:
    """A cell a spreadsheet will not read as a formula.

    >>> _safe("=HYPERLINK(1)"), _safe("-3"), _safe(-3), _safe("Italy")
    ("'=HYPERLINK(1)", "'-3", -3, 'Italy')
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_csv(data: Table) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads it as UTF-8), CRLF line ends, headings first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.heading for c in data.columns])
    writer.writerows([["" if v is None else _safe(v) for v in row] for row in data.cells()])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(data: Table) -> bytes:
    """One worksheet, headings in bold, every string written as a string (no formulas)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = book.add_worksheet(data.name[:31] or "table")
    bold = book.add_format({"bold": True})
    for col, column in enumerate(data.columns):
        sheet.write_string(0, col, column.heading, bold)
    for row_index, row in enumerate(data.cells(), start=1):
        for col, value in enumerate(row):
            if isinstance(value, bool) or value is None:
                sheet.write_string(row_index, col, "" if value is None else str(value).lower())
            elif isinstance(value, int | float):
                sheet.write_number(row_index, col, value)
            else:
                sheet.write_string(row_index, col, str(value))
    book.close()
    return buffer.getvalue()


def to_json(data: Table) -> list[dict[str, Any]]:
    """The rows as JSON objects keyed by column key."""
    return [{c.key: row.get(c.key) for c in data.columns} for row in data.rows]


__all__ = ["FORMATS", "Column", "Table", "table", "to_csv", "to_json", "to_xlsx"]
