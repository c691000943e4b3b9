"""Every parameter of every catalogue question can be given: with a value of its type (its example where it
has one) the question answers 200, never a syntax error from the bound text."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from graph.catalogue import bundled_catalogue
from graph.params import Parameter

SAMPLES = {"iri": "skgd:doc/A-73-206", "string": "x", "integer": "1", "decimal": "1.5", "date": "2018-01-01", "boolean": "true"}


def sample(parameter: Parameter) -> str:
    return parameter.example or (parameter.enum[0] if parameter.enum else SAMPLES[parameter.type])


CASES = [(query.name, parameter.name) for query in bundled_catalogue().queries.values() for parameter in query.params]


@pytest.mark.parametrize(("name", "parameter"), CASES, ids=[f"{n}-{p}" for n, p in CASES])
def test_each_parameter_can_be_given(client: TestClient, name: str, parameter: str) -> None:
    query = bundled_catalogue().get(name)
    values = {p.name: sample(p) for p in query.params if p.required or p.name == parameter}
    response = client.get(f"/queries/{name}", params=values, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
