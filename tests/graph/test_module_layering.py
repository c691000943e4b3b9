"""The layering holds: no import cycle in the library, route modules independent, small modules.

Imports are read from the source (ast), deferred ones inside functions
included: a cycle hidden behind a function-level import is still a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

from api.settings import REPOSITORY

GRAPH = REPOSITORY / "graph"
ROUTES = REPOSITORY / "api" / "routes"
MAX_LINES = 420
"""No module of the library grows much beyond 400 lines: past that it does more than one job."""


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPOSITORY).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path, package: str) -> set[str]:
    """The modules of ``package`` that a file imports, wherever in the file."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(package):
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith(package))
    return found


def import_graph(folder: Path, package: str) -> nx.DiGraph[str]:
    modules = {module_name(p): p for p in folder.rglob("*.py")}
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(modules)
    for name, path in modules.items():
        graph.add_edges_from(
            (name, target)
            for target in imported(path, package)
            if target in modules and target != name and not name.startswith(target + ".")
        )
    return graph


def test_the_library_has_no_import_cycle() -> None:
    graph = import_graph(GRAPH, "graph")
    packages = {n for n in graph if (REPOSITORY / n.replace(".", "/") / "__init__.py").exists()}
    # a package's __init__ re-exporting its own modules is not a cycle between modules
    graph.remove_edges_from([(p, m) for p in packages for m in list(graph.successors(p)) if m.startswith(p + ".")])
    cycles = list(nx.simple_cycles(graph))
    assert not cycles, cycles[:5]


def test_route_modules_do_not_import_each_other() -> None:
    offenders = {module_name(p): sorted(t for t in imported(p, "api.routes") if t != "api.routes") for p in ROUTES.glob("*.py")}
    assert not {m: t for m, t in offenders.items() if t}, offenders


def test_the_api_never_branches_on_the_kind_of_store() -> None:
    """Only the settings check a store kind (that a remote one has its URL); opening is ``graph/backends/factory.py``."""
    for path in (REPOSITORY / "api").rglob("*.py"):
        if path.name == "settings.py":
            continue
        code = path.read_text(encoding="utf-8")
        assert ".kind ==" not in code and 'store == "' not in code and 'kind in ("memory"' not in code, path


def test_no_library_module_is_much_over_400_lines() -> None:
    sizes = {str(p.relative_to(REPOSITORY)): len(p.read_text(encoding="utf-8").splitlines()) for p in GRAPH.rglob("*.py")}
    assert {p: n for p, n in sizes.items() if n > MAX_LINES} == {}


def test_nothing_reads_queries_from_disk_at_import_time() -> None:
    for path in GRAPH.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top_level = [node for node in tree.body if isinstance(node, ast.Assign | ast.AnnAssign)]
        for node in top_level:
            calls = [n for n in ast.walk(node) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)]
            assert not [c for c in calls if c.func.attr in ("read_text", "glob", "load")], (path, ast.unparse(node))
