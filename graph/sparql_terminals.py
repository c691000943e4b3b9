"""The SPARQL terminals of a query text: what the checks before any engine read.

SPARQL reads codepoint escapes (``\\uXXXX``, ``\\UXXXXXXXX``) anywhere in a
query before its grammar (SPARQL 1.1, section 19.2), so they are read first
here too. Then ``tokens`` finds strings, IRIs, comments and
brackets, and each run of other characters is cut into the terminals that may
touch without whitespace: variables, blank node labels, prefixed names,
language tags, numbers, keywords and single punctuation marks. The character
classes are the grammar's own (``PN_CHARS`` and friends), and names are read
by maximal munch as the grammar reads them, so ``ex:a.SERVICE`` is one name
while ``?o.SERVICE`` is a variable, a dot and a keyword.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_TOKEN = re.compile(
    r"""(?P<comment>\#[^\r\n]*)
      | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                  |'''(?:[^'\\]|\\.|'(?!''))*'''
                  |"(?:[^"\\\r\n]|\\.)*"
                  |'(?:[^'\\\r\n]|\\.)*')
      | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<open>[{(\[])
      | (?P<close>[})\]])
      | (?P<word>(?:[^\s#"'<>{}()\[\]\\]|\\.)+)
      | (?P<other>\S)
      | \s+""",
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class Token:
    """One lexical token: its kind (comment, string, iri, open, close, word, other) and offset."""

    kind: str
    text: str
    offset: int


def tokens(text: str) -> Iterator[Token]:
    """The lexical tokens of a SPARQL text, whitespace left out.

    >>> [t.kind for t in tokens('SELECT * { ?s ?p "}" } # {')]
    ['word', 'word', 'open', 'word', 'word', 'string', 'close', 'comment']
    """
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind is not None:
            yield Token(kind, match.group(0), match.start())


_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_U = _BASE + "_"
_CHARS = _U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PREFIX = f"[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?"
_LOCAL = f"(?:[{_U}:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?"

_TERMINAL = re.compile(
    rf"""(?P<var>[?$][{_U}0-9][{_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*)
      | (?P<blank>_:[{_U}0-9](?:[{_CHARS}.]*[{_CHARS}])?)
      | (?P<pname>(?:{_PREFIX})?:(?:{_LOCAL})?)
      | (?P<langtag>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)
      | (?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)
      | (?P<keyword>[A-Za-z][A-Za-z0-9_]*)
      | (?P<mark>.)""",
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class Terminal:
    """One terminal: its kind, its text and its offset in the (unescaped) query."""

    kind: str
    text: str
    offset: int


def unescape_codepoints(text: str) -> str:
    """The text with its codepoint escapes read, as a SPARQL parser reads them before the grammar.

    >>> unescape_codepoints(r"\\u0053ERVICE")
    'SERVICE'
    """

    def read(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else match.group(0)

    return _CODEPOINT.sub(read, text)


def terminals(text: str) -> Iterator[Terminal]:
    """The terminals of a query text (codepoint escapes already read), whitespace and comments left out.

    >>> [(t.kind, t.text) for t in terminals("?o.SERVICE ex:a.SERVICE")]
    [('var', '?o'), ('mark', '.'), ('keyword', 'SERVICE'), ('pname', 'ex:a.SERVICE')]
    """
    for token in tokens(text):
        if token.kind == "comment":
            continue
        if token.kind != "word":
            yield Terminal(token.kind, token.text, token.offset)
            continue
        for match in _TERMINAL.finditer(token.text):
            kind = match.lastgroup or "mark"
            yield Terminal(kind, match.group(0), token.offset + match.start())


__all__ = ["Terminal", "Token", "terminals", "tokens", "unescape_codepoints"]
