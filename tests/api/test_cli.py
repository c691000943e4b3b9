"""The CLI as a user meets it: subprocesses, exit codes, stdout and stderr."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from api import cli
from api.settings import REPOSITORY
from graph.errors import UnknownResourceError
from graph.locator_index import SOURCE_FILES


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
    result = run(
        "export", "ego", "--store", "memory", "--format", "graphml", "-o", str(target), "--param", "node=skgd:actor/state/MEX"
    )
    assert result.returncode == 0, result.stderr
    graph = nx.read_graphml(target)
    assert "https://w3id.org/solidarity-kg/id/actor/state/MEX" in {d.get("iri") for _n, d in graph.nodes(data=True)}


def test_check_exits_1_naming_the_node_when_data_do_not_conform(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(REPOSITORY / "data", data)
    (data / "broken.ttl").write_text(
        "@prefix skg: <https://w3id.org/solidarity-kg/ontology#> .\n"
        "<https://w3id.org/solidarity-kg/id/practice/orphan> a skg:GoodPractice .\n"
    )
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


def assert_one_line_error(result: subprocess.CompletedProcess[str], code: int, *words: str) -> None:
    """A user error: the documented exit code, one line on stderr naming the problem, no traceback."""
    assert result.returncode == code, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert all(word in lines[0] for word in words), lines[0]


def test_query_with_an_unknown_format_is_a_usage_error() -> None:
    result = run("query", "mandate_holders_by_term", "--store", "memory", "--format", "pdf")
    assert_one_line_error(result, 64, "pdf", "csv")
    assert result.stdout == ""


def test_query_with_a_format_its_form_does_not_offer_exits_2() -> None:
    result = run("query", "mandate_holders_by_term", "--store", "memory", "--format", "turtle")
    assert_one_line_error(result, 2, "turtle", "SELECT")


def test_unknown_query_exits_2_naming_it() -> None:
    assert_one_line_error(run("query", "no_such_question", "--store", "memory"), 2, "no_such_question")


def test_param_without_a_value_is_a_usage_error() -> None:
    assert_one_line_error(
        run("query", "mandate_holders_by_term", "--store", "memory", "--param", "colour"), 64, "NAME=VALUE", "colour"
    )


def test_export_with_an_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    result = run("export", "whole", "--store", "memory", "--format", "pdf", "-o", str(tmp_path / "x"))
    assert_one_line_error(result, 64, "pdf", "gexf")
    assert not (tmp_path / "x").exists()


def test_export_refuses_options_that_are_not_view_options() -> None:
    assert_one_line_error(run("export", "ego", "--store", "memory", "--param", "timeout=1"), 2, "timeout")


def test_export_of_an_unknown_view_exits_2_naming_it() -> None:
    assert_one_line_error(run("export", "no_such_view", "--store", "memory"), 2, "no_such_view")


@pytest.mark.parametrize("error", [KeyError("colour"), ValueError("bad"), RuntimeError("bug")])
def test_a_programming_error_exits_70_with_its_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], error: Exception
) -> None:
    def broken(_args: object) -> int:
        raise error

    monkeypatch.setattr(cli, "cmd_states", broken)
    assert cli.main(["states"]) == cli.EXIT_SOFTWARE == 70
    stderr = capsys.readouterr().err
    assert "Traceback" in stderr and type(error).__name__ in stderr and "bug" in stderr


def test_a_graph_error_from_a_command_exits_2_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def refused(_args: object) -> int:
        raise UnknownResourceError("no practice is named 'x'", kind="practice", identifier="x")

    monkeypatch.setattr(cli, "cmd_states", refused)
    assert cli.main(["states"]) == 2
    assert capsys.readouterr().err == "solidarity-kg: no practice is named 'x' (kind=practice, identifier=x)\n"


def test_the_exit_codes_are_documented() -> None:
    help_text = run("--help").stdout
    for code in ("0 ", "1 ", "2 ", "64", "70"):
        assert re.search(rf"^\s+{code}", help_text, re.MULTILINE), code


def synthetic_sources(folder: Path) -> Path:
    """A source folder with the project's file names and made-up texts (numbered paragraphs and a note)."""
    folder.mkdir()
    for number, name in enumerate(SOURCE_FILES.values()):
        paragraphs = "".join(f"{n}. Paragraph {n} of made-up document {number}.\n" for n in range(1, 7))
        (folder / name).write_text(paragraphs + " 1  A note.\n", encoding="utf-8")
    return folder


def test_locator_index_writes_the_same_bytes_twice_and_check_accepts_them(tmp_path: Path) -> None:
    sources, empty = synthetic_sources(tmp_path / "sources"), tmp_path / "data"
    empty.mkdir()
    target = tmp_path / "index.json"
    first = run("locator-index", "--sources", str(sources), "--data-dir", str(empty), "--output", str(target))
    assert first.returncode == 0, first.stderr
    written = target.read_bytes()
    assert run("locator-index", "--sources", str(sources), "--data-dir", str(empty), "--output", str(target)).returncode == 0
    assert target.read_bytes() == written
    index = json.loads(written)
    assert set(index["documents"]) == set(SOURCE_FILES)
    assert sorted(index["documents"][next(iter(SOURCE_FILES))]["paragraphs"], key=int) == ["1", "2", "3", "4", "5", "6"]
    checked = run("locator-index", "--sources", str(sources), "--data-dir", str(empty), "--output", str(target), "--check")
    assert checked.returncode == 0 and "up to date" in checked.stderr


def test_locator_index_check_names_what_changed(tmp_path: Path) -> None:
    sources, empty = synthetic_sources(tmp_path / "sources"), tmp_path / "data"
    empty.mkdir()
    target = tmp_path / "index.json"
    assert run("locator-index", "--sources", str(sources), "--data-dir", str(empty), "--output", str(target)).returncode == 0
    first = sources / next(iter(SOURCE_FILES.values()))
    first.write_text(first.read_text().replace("Paragraph 3 of", "Paragraph three of").replace("6. Paragraph 6", "Six"))
    result = run("locator-index", "--sources", str(sources), "--data-dir", str(empty), "--output", str(target), "--check")
    assert result.returncode == 1
    assert "A-73-206: paragraph 3 changed" in result.stdout and "A-73-206: paragraph 6 removed" in result.stdout
    assert "out of date" in result.stderr


def test_locator_index_without_the_sources_exits_2_in_one_line(tmp_path: Path) -> None:
    result = run("locator-index", "--sources", str(tmp_path / "nowhere"), "--output", str(tmp_path / "index.json"))
    assert_one_line_error(result, 2, "nowhere")
    assert not (tmp_path / "index.json").exists()


def test_an_invalid_setting_is_a_usage_error_in_one_line() -> None:
    assert_one_line_error(run("stats", "--store", "memory", "--workers", "0"), 64, "workers")
