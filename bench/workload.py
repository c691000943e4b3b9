"""The queries the benchmark sends, each as a list of concrete texts (variants).

Two sets, both read from files so that the SPARQL stays reviewable:

* ``bench/queries/*.rq``: the duty-bearer query and other catalogue-like
  questions written for the synthetic data. Their parameters (``?practice``,
  ``?state``) are replaced by IRIs in the text, inside every UNION branch,
  because oxigraph runs a join outside a UNION far slower.
* ``queries/*.rq``: the service's own catalogue, bound to sample IRIs of the
  synthetic data with ``graph.catalogue.bind`` and inlined as a VALUES block
  (``graph.backends.remote.inline_values``), the text any SPARQL server accepts.

Every system gets the same texts in the same order: variant ``i`` of a query
binds the ``i``-th sample practice, State or document of ``manifest.json``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH_QUERIES = Path(__file__).resolve().parent / "queries"
DUTY_BEARERS = "duty_bearers"

# parameter kind (from the IRI of its default, or its name) -> manifest sample list
_KINDS = [("/id/doc/", "documents"), ("/id/practice/", "practices"), ("/id/actor/state/", "states"),
          ("/id/obligation/", "obligations")]
_NAMES = {"document": "documents", "doc": "documents", "practice": "practices", "state": "states",
          "actor": "states", "obligation": "obligations"}


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


def _samples_for(param: Any, samples: dict[str, list[str]]) -> list[str] | None:
    default = param.default or ""
    for marker, key in _KINDS:
        if marker in default:
            return samples.get(key) or None
    key = _NAMES.get(param.name)
    return samples.get(key) if key else None


def bench_workloads(samples: dict[str, list[str]], variants: int = 16) -> list[Workload]:
    """The queries of bench/queries, with parameters replaced by sample IRIs."""
    from graph.catalogue import Catalogue

    catalogue = Catalogue.load(BENCH_QUERIES)
    workloads = []
    for query in catalogue.queries.values():
        texts = []
        for i in range(variants):
            text = query.text
            for param in query.params:
                pool = _samples_for(param, samples)
                if not pool:
                    raise ValueError(f"bench query {query.name}: no samples for ?{param.name}")
                text = re.sub(rf"[?$]{param.name}\b", f"<{pool[i % len(pool)]}>", text)
            texts.append(text)
            if not query.params:
                break
        workloads.append(Workload(query.name, "bench/queries", texts))
    workloads.sort(key=lambda w: (w.name != DUTY_BEARERS, w.name))
    return workloads


def catalogue_workloads(queries_dir: Path, samples: dict[str, list[str]], variants: int = 16) -> tuple[
        list[Workload], list[str]]:
    """The service catalogue's SELECT queries bound to sample IRIs; also the names skipped and why."""
    from graph.backends.remote import inline_values
    from graph.catalogue import Catalogue, bind
    from graph.errors import GraphError

    catalogue = Catalogue.load(queries_dir)
    workloads, skipped = [], []
    for query in catalogue.queries.values():
        if query.kind != "SELECT":
            skipped.append(f"{query.name} ({query.kind})")
            continue
        texts, raws = [], []
        try:
            for i in range(variants):
                raw: dict[str, str] = {}
                for param in query.params:
                    if param.type != "iri":
                        continue
                    pool = _samples_for(param, samples)
                    if pool:
                        raw[param.name] = pool[i % len(pool)]
                    elif param.required and param.default is None:
                        raise ValueError(f"no sample for required parameter {param.name!r}")
                texts.append(inline_values(query.text, bind(query, raw)))
                raws.append(raw)
                if not raw:
                    break
        except (ValueError, GraphError) as error:
            skipped.append(f"{query.name} ({error})")
            continue
        workloads.append(Workload(query.name, "queries", texts, route=f"/queries/{query.name}", route_params=raws))
    return workloads, skipped


__all__ = ["DUTY_BEARERS", "Workload", "bench_workloads", "catalogue_workloads"]
