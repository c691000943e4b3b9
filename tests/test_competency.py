"""Every catalogue question returns exactly the answers taken from the sources.

The expected answers live in ``tests/competency/<query>.json``:
``{"params": {...}, "columns": [...], "expected": [[...], ...]}`` (sets of rows;
IRIs as strings, literals as their lexical form) or ``"expected": true/false``
for ASK. Adding a query and its file adds a test here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.settings import REPOSITORY

CASES = sorted((REPOSITORY / "tests" / "competency").glob("*.json"))


def test_every_catalogue_query_has_expected_answers() -> None:
    queries = {p.stem for p in (REPOSITORY / "queries").glob("*.rq")}
    expected = {p.stem.split("__")[0] for p in CASES}
    assert queries <= expected, sorted(queries - expected)


@pytest.mark.parametrize("case", CASES, ids=[p.stem for p in CASES])
def test_competency_question(client: TestClient, case: Path) -> None:
    spec = json.loads(case.read_text())
    name = case.stem.split("__")[0]
    response = client.get(
        f"/queries/{name}", params=spec.get("params", {}), headers={"Accept": "application/sparql-results+json"}
    )
    assert response.status_code == 200, response.text
    document = response.json()
    if "boolean" in document:
        assert document["boolean"] is spec["expected"]
        return
    columns = spec["columns"]
    got = {tuple(row.get(c, {}).get("value") for c in columns) for row in document["results"]["bindings"]}
    want = {tuple(row) for row in spec["expected"]}
    assert got == want, f"missing: {sorted(want - got, key=str)[:10]} unexpected: {sorted(got - want, key=str)[:10]}"
