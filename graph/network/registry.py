"""The network views there are: the query views of a catalogue's ``views/`` folder, then the derived ones.

A query view is a SELECT that returns one row per link in the column contract
of ``graph_from_rows``; ``ego``, ``duty_bearers`` and ``query`` are built in
Python. Nothing is read at import time: the views come from the catalogue the
caller passes (the service's is compiled from ``SKG_QUERIES_DIR``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graph.catalogue import Catalogue, NamedQuery
from graph.errors import UnknownResourceError
from graph.params import Parameter

MAX_DEPTH = 3
"""Deepest neighbourhood a view or ``/graph/neighbourhood`` computes."""

FILTERS: tuple[Parameter, ...] = (
    Parameter(
        "types",
        "list",
        description="Keep nodes of these classes (comma list of local names, e.g. "
        "State,GoodPractice; a superclass such as Practice or Actor selects its "
        "subclasses).",
    ),
    Parameter(
        "predicates",
        "list",
        description="Keep links with these relations (comma list of local names such as carriedOutBy, CURIEs or IRIs).",
    ),
)
"""Filters every view accepts; nodes left without links are dropped (the ego centre is kept)."""


@dataclass(frozen=True)
class View:
    """A registered view: its name (URL segment, file stem), what it shows and its options."""

    name: str
    summary: str
    description: str = ""
    options: tuple[Parameter, ...] = ()
    query: NamedQuery | None = None
    """The view query, for views defined in the queries folder's ``views/``."""
    extra_options: bool = False
    """Whether other options pass through (the ``query`` view binds them as query parameters)."""

    @property
    def all_options(self) -> tuple[Parameter, ...]:
        """The view's own options followed by the filters."""
        return self.options + FILTERS

    def describe(self) -> dict[str, Any]:
        """The view and its options as JSON (for ``GET /views``)."""
        return {
            "name": self.name,
            "summary": self.summary,
            "description": self.description,
            "options": [o.describe() for o in self.all_options],
            "extra_options": self.extra_options,
        }


DERIVED: tuple[View, ...] = (
    View(
        "ego",
        "The neighbourhood of one node: everything within a few links of it in the whole view",
        "Nodes within `depth` links of `node`, following links in either direction, with every link among them. "
        "`predicates` restricts the links followed; `types` keeps the nodes of those classes in reach (even where "
        "the nodes between are filtered out). The same neighbourhood as `/graph/neighbourhood`.",
        (
            Parameter("node", "iri", required=True, description="The centre node (IRI or CURIE)."),
            Parameter("depth", "integer", default=1, minimum=1, maximum=MAX_DEPTH, description="Links from the centre."),
        ),
    ),
    View(
        "duty_bearers",
        "Which duty-bearers relate to a practice, and the paths that say why",
        "The union of the explanation paths from the practice to each related duty-bearer (actors and actor "
        "types), each link with the locators behind it.",
        (Parameter("practice", "iri", required=True, description="The practice (IRI or CURIE)."),),
    ),
    View(
        "query",
        "The triples of a CONSTRUCT query as a network",
        "Give `name`, a CONSTRUCT query of the catalogue (its parameters as further options), or `construct`, the "
        "text of a read-only CONSTRUCT query. IRI-to-IRI triples become links; labels, types, descriptions and "
        "dates become node attributes.",
        (
            Parameter("name", "string", description="A CONSTRUCT query of the catalogue."),
            Parameter("construct", "string", description="The text of a CONSTRUCT query."),
        ),
        extra_options=True,
    ),
)


def views_of(catalogue: Catalogue) -> dict[str, View]:
    """Every view, by name: the catalogue's query views (``whole`` first), then ``ego``, ``duty_bearers``, ``query``."""
    queries = catalogue.internal["views"]
    names = sorted(queries, key=lambda name: (name != "whole", name))
    views = {name: View(name, queries[name].summary, queries[name].description.strip(), query=queries[name]) for name in names}
    views.update({view.name: view for view in DERIVED})
    return views


def get_view(catalogue: Catalogue, name: str) -> View:
    """The view of that name, or ``UnknownResourceError`` naming the views there are."""
    views = views_of(catalogue)
    try:
        return views[name]
    except KeyError:
        raise UnknownResourceError(
            f"no view is named {name!r}; the views are {', '.join(views)}", kind="view", identifier=name
        ) from None


__all__ = ["DERIVED", "FILTERS", "MAX_DEPTH", "View", "get_view", "views_of"]
