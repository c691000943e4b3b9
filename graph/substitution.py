"""Bind query variables to RDF terms in the query text, token by token.

pyoxigraph's ``substitutions`` only binds variables that the SELECT projects,
and remote SPARQL servers have no binding API at all. This module gives both
the same semantics as SEP-0007 substitution: every occurrence of the variable
is replaced by the term, so the value is in scope in nested groups and
FILTERs alike. Strings, IRIs and comments are masked first, so only real
variable tokens are touched; the terms are serialised by pyoxigraph, never
taken from the request as text.

- in the SELECT projection ``?x`` becomes ``(<term> AS ?x)``, so the column stays;
- in ORDER BY and GROUP BY it becomes ``(<term>)``;
- everywhere else it becomes the bare term.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from graph.sparql_check import blank_literals
from graph.terms import TermSpec, to_term

_CLAUSE = re.compile(r"\b(SELECT|ORDER\s+BY|GROUP\s+BY|WHERE|LIMIT|OFFSET|HAVING|VALUES)\b|[{}]", re.IGNORECASE)


def _contexts(masked: str) -> list[tuple[int, str]]:
    """(offset, context) changes: 'projection' after SELECT, 'modifier' after ORDER/GROUP BY, else 'pattern'."""
    changes = [(0, "pattern")]
    for match in _CLAUSE.finditer(masked):
        keyword = re.sub(r"\s+", " ", match.group(0).upper())
        if keyword == "SELECT":
            changes.append((match.end(), "projection"))
        elif keyword in ("ORDER BY", "GROUP BY"):
            changes.append((match.end(), "modifier"))
        else:
            changes.append((match.start(), "pattern"))
    return changes


def bind_variables(text: str, substitutions: Mapping[str, TermSpec]) -> str:
    """Replace each bound variable by its term, keeping projected columns.

    ``BOUND(?x)`` of a bound variable is ``true``: the variable is bound, and
    ``BOUND`` of a term would not parse (the catalogue's optional parameters
    are written ``FILTER(!BOUND(?p) || …)``).

    >>> bind_variables("SELECT ?who ?n WHERE { ?who <http://e/p> ?n FILTER(?n > ?min) } ORDER BY ?who",
    ...                {"who": ("uri", "http://e/a"), "min": ("literal", "2", "", "")})
    'SELECT (<http://e/a> AS ?who) ?n WHERE { <http://e/a> <http://e/p> ?n FILTER(?n > "2") } ORDER BY (<http://e/a>)'
    >>> bind_variables("ASK { ?s ?p ?o FILTER(!BOUND(?k) || ?o = ?k) }", {"k": ("uri", "http://e/k")})
    'ASK { ?s ?p ?o FILTER(!true || ?o = <http://e/k>) }'
    """
    if not substitutions:
        return text
    masked = blank_literals(text)
    names = "|".join(re.escape(n) for n in sorted(substitutions, key=len, reverse=True))
    end = r"(?![A-Za-z0-9_\u00B7\u0300-\u036F\u203F-\u2040])"
    pattern = re.compile(rf"(?P<bound>\b(?i:BOUND)\s*\(\s*[?$](?:{names}){end}\s*\))|[?$](?P<name>{names}){end}")
    contexts = _contexts(masked)
    out, last = [], 0
    for match in pattern.finditer(masked):
        context = next(c for offset, c in reversed(contexts) if offset <= match.start())
        term = "" if match.group("bound") else str(to_term(substitutions[match.group("name")]))
        if match.group("bound"):
            replacement = "true"
        elif context == "projection":
            replacement = f"({term} AS ?{match.group('name')})"
        elif context == "modifier":
            replacement = f"({term})"
        else:
            replacement = term
        out.append(text[last : match.start()])
        out.append(replacement)
        last = match.end()
    out.append(text[last:])
    return "".join(out)


__all__ = ["bind_variables"]
