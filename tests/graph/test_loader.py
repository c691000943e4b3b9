"""Loading: one named graph per file, fingerprint skip, located parse errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.backends.oxigraph import OxigraphStore
from graph.errors import DataLoadError
from graph.loader import content_sources, graph_counts, load_dataset, prepare_directory_store

ONTOLOGY_STUB = "@prefix ex: <http://example.org/> .\nex:Thing a ex:Class .\n"


def write_content(root: Path, files: dict[str, str]) -> tuple[Path, Path]:
    ontology, data = root / "ontology", root / "data"
    ontology.mkdir(parents=True, exist_ok=True)
    data.mkdir(parents=True, exist_ok=True)
    (ontology / "solidarity.ttl").write_text(ONTOLOGY_STUB)
    (ontology / "shapes.ttl").write_text(ONTOLOGY_STUB)
    for name, text in files.items():
        (data / name).write_text(text)
    return ontology, data


def test_each_file_goes_to_its_own_named_graph_and_shapes_are_not_loaded(tmp_path: Path) -> None:
    ontology, data = write_content(
        tmp_path,
        {
            "a.ttl": "<http://e/a> <http://e/p> <http://e/b> .\n",
            "b.ttl": "<http://e/c> <http://e/p> <http://e/d> , <http://e/e> .\n",
        },
    )
    store = OxigraphStore()
    report = load_dataset(store, content_sources(ontology, data))  # type: ignore[arg-type]
    assert report.graphs == {
        "https://w3id.org/solidarity-kg/graph/ontology/solidarity": 1,
        "https://w3id.org/solidarity-kg/graph/data/a": 1,
        "https://w3id.org/solidarity-kg/graph/data/b": 2,
    }
    assert graph_counts(store) == report.graphs  # type: ignore[arg-type]


def test_reopening_an_unchanged_directory_store_loads_nothing(tmp_path: Path) -> None:
    ontology, data = write_content(tmp_path, {"a.ttl": "<http://e/a> <http://e/p> <http://e/b> .\n"})
    sources = content_sources(ontology, data)
    first = prepare_directory_store(tmp_path / "store", sources)
    second = prepare_directory_store(tmp_path / "store", sources)
    assert first.reloaded and not second.reloaded
    assert second.graphs == first.graphs
    (data / "a.ttl").write_text("<http://e/a> <http://e/p> <http://e/b> , <http://e/c> .\n")
    third = prepare_directory_store(tmp_path / "store", content_sources(ontology, data))
    assert third.reloaded and third.graphs["https://w3id.org/solidarity-kg/graph/data/a"] == 2


def test_a_broken_file_names_file_line_and_column(tmp_path: Path) -> None:
    ontology, data = write_content(tmp_path, {"bad.ttl": "@prefix ex: <http://e/> .\nex:a ex:b\n ex:c ex:d .\n"})
    with pytest.raises(DataLoadError) as info:
        load_dataset(OxigraphStore(), content_sources(ontology, data))  # type: ignore[arg-type]
    assert info.value.where == {"file": "bad.ttl", "line": 3, "column": 7}


def test_a_load_leaves_no_write_ahead_log_behind(tmp_path: Path) -> None:
    """The bulk load's log is obsolete once its data are in the table files: it is deleted, not kept until later."""
    lines = "".join(f"<http://e/s{n}> <http://e/p> <http://e/o{n}> .\n" for n in range(20_000))
    ontology, data = write_content(tmp_path, {"many.ttl": lines})
    report = prepare_directory_store(tmp_path / "store", content_sources(ontology, data))
    assert report.graphs["https://w3id.org/solidarity-kg/graph/data/many"] == 20_000
    logs = sum(f.stat().st_size for f in (tmp_path / "store").glob("*.log"))
    tables = sum(f.stat().st_size for f in (tmp_path / "store").glob("*.sst"))
    assert tables > 0
    assert logs == 0, f"{logs} bytes of write-ahead log beside {tables} bytes of tables"
    store = OxigraphStore(tmp_path / "store")
    assert graph_counts(store)["https://w3id.org/solidarity-kg/graph/data/many"] == 20_000
    store.close()
