"""The practice explorer in a real headless Chromium: from the home page to a filtered spreadsheet in three clicks."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.api.test_explore import located_in, rows_of_xlsx
from tests.e2e.conftest import TIMEOUT_MS

pytestmark = [pytest.mark.browser, pytest.mark.server]


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.errors = errors
    try:
        yield page
    finally:
        context.close()


def shown_rows(page: Any) -> list[str]:
    rows: list[str] = page.eval_on_selector_all("table.practices tbody tr[data-iri]", "rows => rows.map(r => r.dataset.iri)")
    return rows


def test_home_to_a_spreadsheet_of_the_practices_located_in_italy(live_server: str, page: Any, tmp_path: Path) -> None:
    page.goto(live_server + "/")
    clicks = 0
    with page.expect_navigation():
        page.get_by_role("navigation", name="Site").get_by_role("link", name="Practices").click()
        clicks += 1
    assert urlsplit(page.url).path == "/explore"
    with page.expect_navigation():
        page.select_option("#choose-place", value="ITA")  # the list of every State and place filters at once
        clicks += 1
    assert dict(parse_qsl(urlsplit(page.url).query)) == {"place": "ITA"}
    page.screenshot(path=str(tmp_path / "explore-italy.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel").click()
        clicks += 1
    assert clicks <= 3
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "explore-practices.xlsx"
    header, *rows = rows_of_xlsx(saved.read_bytes())
    assert header[:3] == ["IRI", "Practice", "Category"] and "Provisions (stated by the source)" in header
    expected = located_in("actor/state/ITA")
    assert [r[0] for r in rows] == shown_rows(page) and set(shown_rows(page)) == expected
    assert page.text_content("#count") == str(len(expected))
    if not expected:  # the page says where Italy does appear
        assert "show them" in page.text_content(".hint")
    assert (tmp_path / "explore-italy.png").stat().st_size > 10_000
    assert page.errors == []


def test_following_a_place_facet_then_downloading_csv(live_server: str, page: Any, tmp_path: Path) -> None:
    page.goto(live_server + "/explore")
    first = page.locator("#facet-place ~ ul .facet-value").first
    count = int(first.locator(".count").text_content())
    with page.expect_navigation():
        first.click()
    place = dict(parse_qsl(urlsplit(page.url).query))["place"]
    rows = shown_rows(page)
    assert len(rows) == count == int(page.text_content("#count")) > 0
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    saved = tmp_path / "explore.csv"
    download.value.save_as(saved)
    with saved.open(encoding="utf-8-sig", newline="") as handle:
        header, *body = list(csv.reader(handle))
    assert header[0] == "IRI" and [r[0] for r in body] == rows
    page.screenshot(path=str(tmp_path / f"explore-{place}.png"))
    assert page.errors == []
