"""The browser viewer: ``GET /viewer`` serves a static page that calls ``/views`` like any client.

The page, its script and style live in ``api/static/`` (``viewer.html``,
``viewer.js``, ``viewer.css``) and Cytoscape.js is served locally from
``/static/vendor/cytoscape/``. No data are written into the page on the
server: ``?view=``, ``?node=`` and the view options are read by the script,
and every label is set with ``textContent``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

router = APIRouter(tags=["viewer"])

PAGE = Path(__file__).resolve().parents[1] / "static" / "viewer.html"


@lru_cache(maxsize=1)
def _page(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@router.get(
    "/viewer",
    summary="Interactive graph viewer (HTML)",
    response_class=HTMLResponse,
    responses={200: {"content": {"text/html": {}}}},
)
async def viewer() -> HTMLResponse:
    """The viewer page. ``?node=IRI`` opens the neighbourhood of a node; ``?view=NAME`` and the view's
    options (``depth``, ``practice``, ``types``, ``predicates``…) open any view."""
    return HTMLResponse(_page(PAGE), headers={"Cache-Control": "no-cache"})


__all__ = ["router"]
