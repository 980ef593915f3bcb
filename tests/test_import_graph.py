"""No import cycles inside ``typingtest/store/`` and inside ``typingtest/workstation/``.

A static walk of every import statement of each module of the package, at module level and
inside functions (an import inside a function that dodges a cycle at load time is still a
cycle in the design), builds the graph restricted to the package; a cycle is a strongly
connected component of more than one module (or a module importing itself), found with
Tarjan's algorithm (a plain DFS). Imports under ``if TYPE_CHECKING:`` are not followed: they
never run, and only name a type for annotations. ``from pkg import name`` counts as an import
of ``pkg.name`` when that is a module of the package, else of ``pkg`` itself; a package's
``__init__`` is not an edge of its submodules (Python loads it first whatever they import).
A fresh interpreter then imports each module of ``store/`` alone, so one that only loads in
some order fails too.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _modules(package: str) -> dict[str, Path]:
    """Module name -> file of every module of ``package`` (``typingtest.store``), its ``__init__`` included."""
    folder = ROOT / Path(*package.split("."))
    out = {}
    for path in sorted(folder.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST, module: str, is_package: bool) -> set[str]:
    """Every module name an import statement of ``tree`` names (relative ones resolved),
    at any depth but not under ``if TYPE_CHECKING:``."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                stem = ".".join([*base, node.module] if node.module else base)
            else:
                stem = node.module or ""
            found.add(stem)
            found.update(f"{stem}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def import_graph(package: str) -> dict[str, set[str]]:
    """Module -> the modules of ``package`` it imports (module level and inside functions)."""
    modules = _modules(package)
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        named = _imports(ast.parse(path.read_text(encoding="utf-8")), name, path.name == "__init__.py")
        # a package's __init__ is loaded before any of its submodules anyway: not an edge
        parents = {".".join(name.split(".")[:i]) for i in range(1, name.count(".") + 1)}
        graph[name] = {m for m in named if m in modules and m not in parents}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with a cycle (Tarjan), each sorted; sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def connect(v: str) -> None:
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1 or v in graph.get(v, ()):
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return sorted(found)


def test_the_cycle_finder_sees_a_cycle_through_a_function_level_import() -> None:
    # a -> b at module level, b -> a inside a function; c -> a only: one cycle {a, b}
    code = {"p.a": "import p.b\n", "p.b": "def f():\n    from p import a\n", "p.c": "from p.a import x\n"}
    graph = {name: {m for m in _imports(ast.parse(src), name, False) if m in code} for name, src in code.items()}
    assert graph == {"p.a": {"p.b"}, "p.b": {"p.a"}, "p.c": {"p.a"}}
    assert cycles(graph) == [["p.a", "p.b"]]
    # an import under `if TYPE_CHECKING:` is no edge
    tc = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from p.a import A\n"
    assert "p.a" not in _imports(ast.parse(tc), "p.b", False)
    # relative imports resolve against the module's package
    assert "p.q.a" in _imports(ast.parse("from . import a\n"), "p.q.m", False)
    assert "p.a" in _imports(ast.parse("from ..a import x\n"), "p.q.m", False)


def test_no_module_of_the_store_imports_one_that_imports_it_back() -> None:
    graph = import_graph("typingtest.store")
    assert len(graph) >= 10  # every module was read: store, base, recorder, privacy, ...
    assert "typingtest.store.base" in graph["typingtest.store.store"]
    assert cycles(graph) == []


def test_no_module_of_the_store_imports_the_analysis() -> None:
    """The store sits under the analysis: the export table is composed in ``analysis.export_frame``.
    Only the command-line layer (``store.commands``, which runs ``typingtest export``) calls it."""
    for name, path in _modules("typingtest.store").items():
        if name == "typingtest.store.commands":
            continue
        named = _imports(ast.parse(path.read_text(encoding="utf-8")), name, path.name == "__init__.py")
        assert not any(m.startswith("typingtest.analysis") for m in named), name


@pytest.mark.parametrize("module", sorted(_modules("typingtest.store")))
def test_each_store_module_imports_alone_in_a_fresh_interpreter(module: str) -> None:
    done = subprocess.run([sys.executable, "-c", f"import {module}"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]


def test_no_module_of_the_workstation_imports_one_that_imports_it_back() -> None:
    found = cycles(import_graph("typingtest.workstation"))
    assert found == [], "workstation import cycles: " + "; ".join(" <-> ".join(c) for c in found)
