"""The queries the benchmark sends, each as a list of concrete texts (variants).

Three sets, all read from files so that the SPARQL stays reviewable:

* ``bench/queries/*.rq``: the duty-bearer query in the shape DESIGN.md sets
  the targets for (joins and label look-ups inside each UNION branch), the
  same query with its predicate alternatives as property paths, and other
  catalogue-like questions written for the synthetic data;
* ``queries/traversal/duty_bearers.rq``: the service's own traversal query
  (what ``/practices/{id}/duty-bearers`` runs before its label query), as
  ``traversal_duty_bearers``;
* ``queries/*.rq``: the service's catalogue, for the queries whose every IRI
  parameter can be bound to a sample of the synthetic data (a query about a
  named real document or article would find nothing there and is skipped).

Parameters are bound in the text (``graph.substitution.bind_variables``, the
text the service sends a remote server), so every system receives the same
SPARQL. Variant ``i`` binds the ``i``-th sample practice, State or document
of ``manifest.json``; every system gets the same variants in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH_QUERIES = Path(__file__).resolve().parent / "queries"
DUTY_BEARERS = "duty_bearers"
DUTY_BEARERS_PATHS = "duty_bearers_paths"
TRAVERSAL = "traversal_duty_bearers"

# parameter kind (from the IRI of its default, or its name) -> manifest sample list
_KINDS = [
    ("/id/doc/", "documents"),
    ("/id/practice/", "practices"),
    ("/id/actor/state/", "states"),
    ("/id/obligation/", "obligations"),
]
_NAMES = {
    "document": "documents",
    "doc": "documents",
    "practice": "practices",
    "state": "states",
    "actor": "states",
    "obligation": "obligations",
}


@dataclass
class Workload:
    """A query and its concrete texts; ``route`` is the service's own path for it, if any."""

    name: str
    source: str
    variants: list[str]
    route: str | None = None
    route_params: list[dict[str, str]] = field(default_factory=list)

    def text(self, i: int) -> str:
        """The i-th variant (cycling)."""
        return self.variants[i % len(self.variants)]


def bind_text(text: str, bindings: dict[str, Any]) -> str:
    """The query with its variables bound in the text, as the service sends it to a remote server."""
    try:
        from graph.substitution import bind_variables
    except ImportError:  # an older tree: a VALUES block first in the WHERE group
        from graph.substitution import bind_variables as bind_variables  # type: ignore[no-redef]
    return bind_variables(text, bindings)


def _samples_for(param: Any, samples: dict[str, list[str]]) -> list[str] | None:
    default = param.default or ""
    for marker, key in _KINDS:
        if marker in default:
            return samples.get(key) or None
    key = _NAMES.get(param.name)
    return (samples.get(key) or None) if key else None


def _bound(query: Any, samples: dict[str, list[str]], variants: int) -> tuple[list[str], list[dict[str, str]]]:
    """Texts and raw parameters of a query for ``variants`` samples; ValueError if an IRI parameter has none."""
    from graph.catalogue import bind

    pools = {}
    for param in query.params:
        if param.type == "iri":
            pool = _samples_for(param, samples)
            if not pool:
                raise ValueError(f"no synthetic sample for IRI parameter {param.name!r}")
            pools[param.name] = pool
    texts, raws = [], []
    for i in range(variants if pools else 1):
        raw = {name: pool[i % len(pool)] for name, pool in pools.items()}
        texts.append(bind_text(query.text, bind(query, raw)))
        raws.append(raw)
    return texts, raws


def bench_workloads(samples: dict[str, list[str]], queries_dir: Path, variants: int = 16) -> list[Workload]:
    """The queries of bench/queries and the service's traversal query, bound to sample IRIs."""
    from graph.catalogue import Catalogue, compile_query

    workloads = []
    for query in Catalogue.load(BENCH_QUERIES).queries.values():
        texts, _raws = _bound(query, samples, variants)
        workloads.append(Workload(query.name, "bench/queries", texts))
    traversal = queries_dir / "traversal" / "duty_bearers.rq"
    if traversal.exists():
        query = compile_query(TRAVERSAL, traversal.read_text(encoding="utf-8"), str(traversal))
        texts, _raws = _bound(query, samples, variants)
        workloads.append(Workload(TRAVERSAL, "queries/traversal", texts))
    order = {DUTY_BEARERS: 0, DUTY_BEARERS_PATHS: 1, TRAVERSAL: 2}
    workloads.sort(key=lambda w: (order.get(w.name, 2), w.name))
    return workloads


def catalogue_workloads(queries_dir: Path, samples: dict[str, list[str]], variants: int = 16) -> tuple[list[Workload], list[str]]:
    """The catalogue's SELECT queries whose IRI parameters all bind to samples; and the others, with why."""
    from graph.catalogue import Catalogue
    from graph.errors import GraphError

    workloads, skipped = [], []
    for query in Catalogue.load(queries_dir).queries.values():
        if query.form != "SELECT":
            skipped.append(f"{query.name} ({query.form})")
            continue
        if not any(p.type == "iri" for p in query.params):
            skipped.append(f"{query.name} (no IRI parameter: it asks about the real sources only)")
            continue
        try:
            texts, raws = _bound(query, samples, variants)
        except (ValueError, GraphError) as error:
            skipped.append(f"{query.name} ({error})")
            continue
        workloads.append(Workload(query.name, "queries", texts, route=f"/queries/{query.name}", route_params=raws))
    return workloads, skipped


__all__ = ["DUTY_BEARERS", "DUTY_BEARERS_PATHS", "TRAVERSAL", "Workload", "bench_workloads", "bind_text", "catalogue_workloads"]
