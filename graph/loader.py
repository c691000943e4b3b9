"""Find the content files, load each into its own named graph, report counts.

``ontology/*.ttl`` (but the SHACL shapes) and ``data/*.ttl`` are loaded; the
named graph of a file derives from its folder and stem, e.g.
``…/graph/data/core``; the superclass types the ontology implies go to
``…/graph/inferred/types`` (``graph/inference.py``). On-disk and remote stores remember a fingerprint of the
files they were loaded from (a file beside the store, never a graph that
queries could see), so reopening them with unchanged files loads nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from graph.errors import DataLoadError
from graph.inference import INFERRED_GRAPH, materialise_types
from graph.namespaces import BASE
from graph.store import Store, select

META_GRAPH = BASE + "graph/meta"
_FINGERPRINT = "http://purl.org/dc/terms/hasVersion"
SHAPES_FILE = "shapes.ttl"


class _Loadable(Protocol):
    def load_file(self, path: Path, graph_iri: str) -> int: ...
    def load_bytes(self, data: bytes, graph_iri: str, source_name: str) -> int: ...
    def clear(self) -> None: ...


@dataclass(frozen=True)
class LoadReport:
    """What was loaded: triples per named graph, and whether loading was skipped."""

    graphs: dict[str, int] = field(default_factory=dict)
    reloaded: bool = True

    @property
    def triples(self) -> int:
        """Total triples over all content graphs."""
        return sum(self.graphs.values())


def graph_iri_for(path: Path) -> str:
    """Named graph IRI of a content file.

    >>> graph_iri_for(Path("data/core.ttl"))
    'https://w3id.org/solidarity-kg/graph/data/core'
    """
    return f"{BASE}graph/{path.parent.name}/{path.stem}"


def content_sources(ontology_dir: Path, data_dir: Path) -> tuple[tuple[str, str], ...]:
    """(file, named graph) for every content file, ontology first, in name order."""
    files = [p for p in sorted(ontology_dir.glob("*.ttl")) if p.name != SHAPES_FILE]
    files += sorted(data_dir.glob("*.ttl"))
    return tuple((str(p), graph_iri_for(p)) for p in files)


def draft_sources(drafts_dir: Path) -> tuple[tuple[str, str], ...]:
    """(file, named graph) for every draft of an ingest drafts folder (none if it does not exist), in name order.

    >>> draft_sources(Path("no-such-folder"))
    ()
    """
    files = sorted(drafts_dir.glob("*.ttl")) if drafts_dir.is_dir() else []
    return tuple((str(p), f"{BASE}graph/drafts/{p.stem}") for p in files)


def fingerprint(sources: tuple[tuple[str, str], ...]) -> str:
    """A digest of the files' graphs, sizes and modification times: equal digests mean nothing to reload.

    File metadata rather than content keeps reopening a large store fast; a
    touched but unchanged file only costs a reload.
    """
    digest = hashlib.sha256()
    for path, graph in sources:
        status = Path(path).stat()
        digest.update(f"{graph}\0{status.st_size}\0{status.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def data_version(sources: tuple[tuple[str, str], ...]) -> str:
    """A short digest of the content files' bytes: the data version that pages and citations carry.

    Unlike ``fingerprint`` it reads the files, so two checkouts of the same data agree.
    """
    digest = hashlib.sha256()
    for path, graph in sources:
        digest.update(graph.encode() + b"\0" + Path(path).read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def load_sources(store: _Loadable, sources: tuple[tuple[str, str], ...]) -> dict[str, int]:
    """Load every source into its graph, then the implied superclass types; return triples per graph."""
    counts = {graph: store.load_file(Path(path), graph) for path, graph in sources}
    return _with_inferred(counts, materialise_types(store))  # type: ignore[arg-type]


def _with_inferred(counts: dict[str, int], inferred: int) -> dict[str, int]:
    """The counts with the inferred graph's, which an empty graph does not have (a store holds no empty graph)."""
    return counts | {INFERRED_GRAPH: inferred} if inferred else counts


def stored_fingerprint(store: Store) -> str | None:
    """The fingerprint recorded in an in-process store's meta graph, if any."""
    rows = select(store, f"SELECT ?v WHERE {{ GRAPH <{META_GRAPH}> {{ <{META_GRAPH}> <{_FINGERPRINT}> ?v }} }}")
    return rows[0]["v"]["value"] if rows else None


def graph_counts(store: Store, timeout: float | None = None) -> dict[str, int]:
    """Triples per content graph, as the store sees them."""
    rows = select(store, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", timeout=timeout)
    return {r["g"]["value"]: int(r["n"]["value"]) for r in rows if r["g"]["value"] != META_GRAPH}


class _Remote(Protocol):
    """What loading a remote store needs beyond the Store protocol (``graph/backends/remote.py``)."""

    query_url: str

    def load_file(self, path: Path, graph_iri: str) -> int: ...
    def drop_graph(self, graph_iri: str) -> None: ...
    def graph_sizes(self) -> dict[str, int]: ...
    def use_graphs(self, graphs: Iterable[str]) -> None: ...


def remote_marker(state: Path, query_url: str) -> Path:
    """The file beside the service that records what a remote store was loaded with (one per server URL)."""
    return state / f"remote-{hashlib.sha256(query_url.encode()).hexdigest()[:16]}.json"


def _recorded_load(marker: Path | None, query_url: str) -> dict[str, object]:
    if marker is None or not marker.is_file():
        return {}
    try:
        recorded = json.loads(marker.read_text())
    except ValueError:
        return {}
    return recorded if isinstance(recorded, dict) and recorded.get("server") == query_url else {}


def _unchanged(remote: _Remote, recorded: dict[str, object], digest: str, graphs: tuple[str, ...]) -> dict[str, int] | None:
    """The recorded triples per graph, if the files and the server's graphs are still what was loaded."""
    counts = recorded.get("graphs")
    if recorded.get("fingerprint") != digest or not isinstance(counts, dict) or set(counts) - {INFERRED_GRAPH} != set(graphs):
        return None
    found = remote.graph_sizes()
    if set(found) <= set(graphs) | {INFERRED_GRAPH} and all(found.get(g, 0) == n for g, n in counts.items()):
        return {g: int(n) for g, n in counts.items()}
    return None


def load_dataset(
    store: Store, sources: tuple[tuple[str, str], ...], force: bool = False, state: Path | None = None
) -> LoadReport:
    """Bring a remote store up to date with the sources: load them unless it already holds exactly these files.

    The fingerprint and the triples per graph are a file in ``state`` (the store
    folder), not a graph on the server, where users' queries would see it. An
    unchanged fingerprint loads nothing if the server still holds the recorded
    triples per graph (one count query); anything else reloads. Each graph is
    replaced on its own; afterwards the triples of every graph are counted on the
    server and compared with the files, and the service's graphs whose file is
    gone are dropped: a server that did not do what it was asked stops the load
    with a ``DataLoadError`` naming the graph. The file is removed first and
    written last, so an interrupted load is redone at the next start.
    """
    if not hasattr(store, "graph_sizes"):
        return _load_plain(store, sources, force)
    remote: _Remote = store  # type: ignore[assignment]
    digest = fingerprint(sources)
    graphs = tuple(graph for _path, graph in sources)
    marker = remote_marker(state, remote.query_url) if state is not None else None
    counts = None if force else _unchanged(remote, _recorded_load(marker, remote.query_url), digest, graphs)
    if counts is not None:
        remote.use_graphs(tuple(counts))
        return LoadReport(counts, reloaded=False)
    if marker is not None:
        marker.unlink(missing_ok=True)
    expected = {graph: remote.load_file(Path(path), graph) for path, graph in sources}
    stale = sorted(g for g in remote.graph_sizes() if g not in expected and g != INFERRED_GRAPH)
    for graph in stale:
        remote.drop_graph(graph)
    expected = _with_inferred(expected, materialise_types(store))
    _verify(remote, dict(sources), expected, stale)
    if marker is not None:
        marker.parent.mkdir(parents=True, exist_ok=True)
        record = {"server": remote.query_url, "fingerprint": digest, "graphs": expected}
        marker.write_text(json.dumps(record, indent=1) + "\n")
    remote.use_graphs(tuple(expected))
    return LoadReport(expected, reloaded=True)


def _verify(remote: _Remote, files: dict[str, str], expected: dict[str, int], stale: list[str]) -> None:
    """Stop with a DataLoadError naming the first graph the server does not hold as the files say."""
    found = remote.graph_sizes()
    file_of = {graph: path for path, graph in files.items()} | {INFERRED_GRAPH: "inferred superclass types"}
    for graph, count in expected.items():
        if found.get(graph, 0) != count:
            raise DataLoadError(
                f"the SPARQL server at {remote.query_url} holds {found.get(graph, 0)} triples in {graph} where "
                f"{Path(file_of[graph]).name} has {count}: it did not load the file as asked",
                graph=graph,
                file=Path(file_of[graph]).name,
                expected=count,
                found=found.get(graph, 0),
            )
    for graph in stale:
        if found.get(graph, 0):
            raise DataLoadError(
                f"the SPARQL server at {remote.query_url} still holds {found[graph]} triples in {graph}, "
                "whose file is gone, after it was asked to drop that graph",
                graph=graph,
                found=found[graph],
            )


def _load_plain(store: Store, sources: tuple[tuple[str, str], ...], force: bool) -> LoadReport:
    """An in-process store: clear, load every file, record the fingerprint."""
    digest = fingerprint(sources)
    if not force and stored_fingerprint(store) == digest:
        return LoadReport(graph_counts(store), reloaded=False)
    store.clear()
    loadable: _Loadable = store  # type: ignore[assignment]
    counts = load_sources(loadable, sources)
    loadable.load_bytes(f'<{META_GRAPH}> <{_FINGERPRINT}> "{digest}" .\n'.encode(), META_GRAPH, "fingerprint")
    return LoadReport(counts, reloaded=True)


FINGERPRINT_FILE = "solidarity-kg.fingerprint"


def prepare_directory_store(path: Path, sources: tuple[tuple[str, str], ...], force: bool = False) -> LoadReport:
    """Bring an on-disk store up to date with the sources, then release it.

    The fingerprint and the triple counts are a file beside the database files,
    so that queries never see them and an unchanged store is not even opened
    here; the file is written only after the data are flushed, so an
    interrupted load is redone at the next start.
    """
    from graph.backends.oxigraph import OxigraphStore

    digest = fingerprint(sources)
    marker = path / FINGERPRINT_FILE
    if not force and marker.is_file():
        try:
            recorded = json.loads(marker.read_text())
        except ValueError:
            recorded = {}
        if isinstance(recorded, dict) and recorded.get("fingerprint") == digest:
            # the counts were recorded at load time: no need to open the store read-write or scan it
            return LoadReport({g: int(n) for g, n in recorded.get("graphs", {}).items()}, reloaded=False)
    store = OxigraphStore(path)
    try:
        marker.unlink(missing_ok=True)
        store.clear()
        counts = load_sources(store, sources)
        store.flush()
    finally:
        store.close()
    del store
    drop_obsolete_log(path)
    marker.write_text(json.dumps({"fingerprint": digest, "graphs": counts}, indent=1) + "\n")
    return LoadReport(counts, reloaded=True)


def drop_obsolete_log(path: Path) -> None:
    """Open the store read-write once more and release it: RocksDB then deletes the write-ahead log the load
    left behind (its data are already in the table files), about 1.5 times the store's size after a bulk load."""
    import gc

    import pyoxigraph as ox

    gc.collect()  # the loading handle must be gone: the store admits one read-write handle
    reopened = ox.Store(str(path))
    reopened.flush()
    del reopened
    gc.collect()


__all__ = [
    "META_GRAPH",
    "LoadReport",
    "content_sources",
    "data_version",
    "fingerprint",
    "graph_counts",
    "graph_iri_for",
    "load_dataset",
    "load_sources",
    "prepare_directory_store",
    "remote_marker",
    "stored_fingerprint",
]
