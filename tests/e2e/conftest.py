"""The real headless Chromium every browser test drives: one launch per module, skipped with a reason where
Chromium or playwright is missing."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 60_000


def chromium_path() -> str:
    """The system Chromium, or a skip naming how to install it."""
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).is_file():
            return candidate
    pytest.skip("Chromium is not installed (apt-get install chromium); the browser tests need a real browser")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """A Chromium launched by playwright for the module's tests."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (dev dependency) drives the browser")
    executable = chromium_path()
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


def watched_page(context: Any) -> Any:
    """A new page of ``context`` that records its script errors and console errors in ``page.errors``."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.errors = errors
    return page
