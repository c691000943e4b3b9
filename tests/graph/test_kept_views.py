"""Views of the whole graph kept beside the store: built once per version of data and code, not once per process."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.cache import StoreCache
from tests.conftest import memory_settings


def _refuse() -> str:
    raise AssertionError("built again although a kept copy is there")


def test_a_kept_entry_is_read_by_a_later_cache_of_the_same_version(tmp_path: Path) -> None:
    first = StoreCache()
    first.keep_in(tmp_path, "v1")
    assert first.fixed("key", lambda: "built", keep_as="entry") == "built"
    later = StoreCache()
    later.keep_in(tmp_path, "v1")
    assert later.fixed("key", _refuse, keep_as="entry") == "built"
    assert later.fixed("other", lambda: "unnamed") == "unnamed"  # entries without a name stay in memory only
    assert len(list(tmp_path.rglob("*.pickle"))) == 1


def test_another_version_builds_again_and_removes_the_old_copies(tmp_path: Path) -> None:
    first = StoreCache()
    first.keep_in(tmp_path, "v1")
    first.fixed("key", lambda: "old data", keep_as="entry")
    later = StoreCache()
    later.keep_in(tmp_path, "v2")
    assert later.fixed("key", lambda: "new data", keep_as="entry") == "new data"
    assert len([p for p in tmp_path.iterdir()]) == 1  # one version's folder
    assert len(list(tmp_path.rglob("*.pickle"))) == 1


def test_an_unreadable_copy_is_built_again_and_replaced(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    first = StoreCache()
    first.keep_in(tmp_path, "v1")
    first.fixed("key", lambda: "built", keep_as="entry")
    (kept,) = tmp_path.rglob("*.pickle")
    kept.write_bytes(b"not a pickle")
    later = StoreCache()
    later.keep_in(tmp_path, "v1")
    with caplog.at_level(logging.WARNING, logger="graph.cache"):
        assert later.fixed("key", lambda: "built again", keep_as="entry") == "built again"
    assert "could not be read" in caplog.text
    again = StoreCache()
    again.keep_in(tmp_path, "v1")
    assert again.fixed("key", _refuse, keep_as="entry") == "built again"


def test_a_restarted_service_reads_the_whole_view_instead_of_querying_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = memory_settings(store="directory", store_path=tmp_path / "store")
    with TestClient(create_app(settings)) as client:
        first = client.get("/views/whole", params={"format": "node-link"})
        assert first.status_code == 200, first.text
    assert list((tmp_path / "store" / "views").rglob("*.pickle"))

    def no_query(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the whole view was queried again")

    monkeypatch.setattr("graph.network.views.solutions", no_query)
    with TestClient(create_app(settings)) as client:
        again = client.get("/views/whole", params={"format": "node-link"}, headers={"Cache-Control": "no-cache"})
        assert again.status_code == 200, again.text
        assert again.json() == first.json()
        ego = client.get("/views/ego", params={"node": "actor/state/MEX", "format": "node-link"})
        assert ego.status_code == 200, ego.text
