"""The CLI as a user meets it: subprocesses, exit codes, stdout and stderr."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from pathlib import Path

import networkx as nx

from api.settings import REPOSITORY


def run(*args: str, cwd: Path = REPOSITORY) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "api", *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def test_query_prints_csv_of_a_catalogue_question() -> None:
    result = run("query", "mandate_holders_by_term", "--store", "memory", "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    holders = {row[next(k for k in row if "holder" in k.lower() and "label" in k.lower())] for row in rows}
    assert {"Rudi Muhammad Rizki", "Virginia B. Dandan", "Obiora Chinedu Okafor", "Cecilia M. Bailliet"} <= holders


def test_query_with_a_bad_parameter_exits_2_naming_it() -> None:
    result = run("query", "mandate_holders_by_term", "--store", "memory", "--param", "colour=red")
    assert result.returncode == 2 and "colour" in result.stderr


def test_load_twice_loads_once(tmp_path: Path) -> None:
    first = run("load", "--store-path", str(tmp_path / "store"))
    second = run("load", "--store-path", str(tmp_path / "store"))
    assert first.returncode == second.returncode == 0
    assert "(loaded" in first.stderr and "nothing loaded" in second.stderr
    assert first.stdout == second.stdout  # same triples per graph


def test_export_writes_a_file_networkx_reads(tmp_path: Path) -> None:
    target = tmp_path / "ego.graphml"
    result = run("export", "ego", "--store", "memory", "--format", "graphml", "-o", str(target),
                 "--param", "node=skgd:actor/state/MEX")
    assert result.returncode == 0, result.stderr
    graph = nx.read_graphml(target)
    assert "https://w3id.org/solidarity-kg/id/actor/state/MEX" in {d.get("iri") for _n, d in graph.nodes(data=True)}


def test_check_exits_1_naming_the_node_when_data_do_not_conform(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(REPOSITORY / "data", data)
    (data / "broken.ttl").write_text(
        "@prefix skg: <https://w3id.org/solidarity-kg/ontology#> .\n"
        "<https://w3id.org/solidarity-kg/id/practice/orphan> a skg:GoodPractice .\n")
    result = run("check", "--data-dir", str(data))
    assert result.returncode == 1
    assert "practice/orphan" in result.stdout and "wasDerivedFrom" in result.stdout


def test_check_exits_2_with_file_line_and_column_for_bad_turtle(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(REPOSITORY / "data", data)
    (data / "bad.ttl").write_text("<http://e/a> <http://e/b> .\n")
    result = run("check", "--data-dir", str(data))
    assert result.returncode == 2
    assert "bad.ttl" in result.stderr and "line=1" in result.stderr
