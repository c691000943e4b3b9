"""What the viewer shows of a view: its filters (types and relations hidden, a date range, a State, a document).

``shown`` applies the same rules as ``applyFilters`` in ``api/static/viewer.js``, so that a
download of the viewer (``/viewer/export``) holds what is on screen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from graph.iris import local_name

if TYPE_CHECKING:
    import networkx as nx

DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
"""A date as the filters read it: YYYY, YYYY-MM or YYYY-MM-DD (a time after it is ignored)."""


def date_span(value: str) -> tuple[str, str] | None:
    """The first and last day a date stands for (``2015`` is the whole year), or None for no date.

    >>> date_span("2015"), date_span("2015-06"), date_span("2018-12-10T10:00:00"), date_span("soon")
    (('2015-01-01', '2015-12-31'), ('2015-06-01', '2015-06-31'), ('2018-12-10', '2018-12-10'), None)
    """
    match = DATE.match(value or "")
    if not match:
        return None
    day = match.group(0)
    return (day + "-01-01"[len(day) - 4 :], day + "-12-31"[len(day) - 4 :])


@dataclass(frozen=True)
class Filters:
    """The page's filters: what the type and link lists hide, the date range, the State, the document."""

    hide_types: frozenset[str] = frozenset()
    hide_relations: frozenset[str] = frozenset()
    date_from: str | None = None
    date_to: str | None = None
    near_state: str | None = None
    cited_in: str | None = None

    def keeps_date(self, value: object) -> bool:
        """Nodes without a date stay; a dated node stays when its span meets the range."""
        span = date_span(str(value)) if value else None
        low, high = date_span(self.date_from or ""), date_span(self.date_to or "")
        if span is None:
            return True
        return (low is None or span[1] >= low[0]) and (high is None or span[0] <= high[1])

    def keeps_link(self, relation: str, evidence: object) -> bool:
        if local_name(relation) in self.hide_relations:
            return False
        if self.cited_in is None:
            return True
        return any(label.split(", ", 1)[0] == self.cited_in for label in str(evidence or "").split("; "))


def shown(graph: nx.MultiDiGraph[str], filters: Filters) -> nx.MultiDiGraph[str]:
    """What the page shows of ``graph``: the same rules as ``applyFilters`` in ``viewer.js``.

    Nodes of a hidden type, and dated nodes outside the date range, go; links go with their
    ends, or when their relation is hidden or (with ``cited_in``) no locator of theirs is in
    that document, and then nodes without a cited link go; with ``near_state`` only that
    node and the nodes one kept link away from it stay.
    """
    import networkx as nx

    nodes = {
        n
        for n, data in graph.nodes(data=True)
        if data.get("type", "Resource") not in filters.hide_types and filters.keeps_date(data.get("date"))
    }
    edges = [
        (u, v, k)
        for u, v, k, data in graph.edges(keys=True, data=True)
        if u in nodes and v in nodes and filters.keeps_link(str(data.get("relation", k)), data.get("evidence"))
    ]
    if filters.cited_in is not None:
        nodes = {n for u, v, _k in edges for n in (u, v)}
    if filters.near_state is not None:
        centre = filters.near_state
        nodes = {centre} & nodes | {v if u == centre else u for u, v, _k in edges if centre in (u, v)}
    kept: nx.MultiDiGraph[str] = nx.MultiDiGraph(graph.subgraph(nodes))
    wanted = {(u, v, k) for u, v, k in edges if u in nodes and v in nodes}
    kept.remove_edges_from([e for e in list(kept.edges(keys=True)) if e not in wanted])
    return kept


__all__ = ["DATE", "Filters", "date_span", "shown"]
