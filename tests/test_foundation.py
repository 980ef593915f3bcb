"""The package skeleton: CLI, settings, thresholds, verdicts at the boundary."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from typingtest.cli import main
from typingtest.config import load_settings, load_thresholds
from typingtest.engine.events import EVENT_DTYPE, EventKind, make_log
from typingtest.engine.verdicts import verdict
from typingtest.errors import UserError


def test_help_lists_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    assert "typingtest" in capsys.readouterr().out


def test_python_dash_m_runs() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "typingtest", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.startswith("typingtest ")


def test_qualification_threshold_is_three_percent() -> None:
    rule = load_thresholds()["msd_error_rate"]
    assert rule.limit == 0.03
    assert rule.comparison == "<="
    assert rule.source == "qualification"
    assert "D140801 Id17267" in rule.competences


def test_verdict_boundary() -> None:
    th = load_thresholds()
    assert verdict("msd_error_rate", 0.03, th).passed is True
    assert verdict("msd_error_rate", 3 / 100, th).passed is True
    assert verdict("msd_error_rate", 0.0301, th).passed is False
    assert verdict("msd_error_rate", None, th).passed is None
    v = verdict("net_wpm", 29.99, th)
    assert v.passed is False and v.source == "centre" and v.comparison == ">="


def test_unknown_setting_is_named(tmp_path: Path) -> None:
    f = tmp_path / "typingtest.toml"
    f.write_text('resluts_dir = "x"\n')
    from typingtest.errors import UserError

    with pytest.raises(UserError, match="resluts_dir: unknown setting"):
        load_settings(f)


def test_settings_paths_resolve_against_file(tmp_path: Path) -> None:
    f = tmp_path / "centre.toml"
    f.write_text('results_dir = "res"\nretention_days = 30\n')
    s = load_settings(f)
    assert s.results_dir == (tmp_path / "res").resolve()
    assert s.retention_days == 30
    assert s.database_url.endswith("res/typingtest.sqlite")


def test_make_log_columns() -> None:
    log = make_log([{"t": 0.5, "kind": EventKind.TEXT, "text": "ë", "target": "copy"}])
    assert log.dtype == EVENT_DTYPE
    assert log["kind"][0] == EventKind.TEXT and log["text"][0] == "ë"


#: The layers below the workstation: they work without pygame (the design's layer rule).
PYGAME_FREE = ("engine", "analysis", "content", "store", "formats")
#: What they must not import, at any depth: pygame itself and the project's pygame layers.
PYGAME_LAYERS = ("pygame", "typingtest.workstation", "typingtest.simulate.drive")
PACKAGE = Path(__file__).resolve().parents[1] / "typingtest"


def _imported(path: Path, module: str) -> list[tuple[str, int]]:
    """Every module name ``path`` imports, with its line: every Import and ImportFrom node of the
    syntax tree at any depth (in a function, a method, an ``if``, a ``try``), relative ones
    resolved against ``module``; ``from a import b`` gives ``a`` and ``a.b``."""
    import ast

    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    names: list[tuple[str, int]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = ".".join([*package[: len(package) - node.level + 1], *([node.module] if node.module else [])]) \
                if node.level else (node.module or "")
            names.append((base, node.lineno))
            names += [(f"{base}.{alias.name}", node.lineno) for alias in node.names]
    return names


def pygame_imports(package_dir: Path, package: str = "typingtest") -> list[str]:
    """``file:line: name`` for each import of ``PYGAME_LAYERS`` in the ``PYGAME_FREE`` packages
    under ``package_dir`` (the folder of the package ``package``)."""
    found = []
    for layer in PYGAME_FREE:
        for path in sorted((package_dir / layer).rglob("*.py")):
            rel = path.relative_to(package_dir).with_suffix("")
            parts = [package, *rel.parts]
            module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            for name, line in _imported(path, module):
                if any(name == bad or name.startswith(bad + ".") for bad in PYGAME_LAYERS):
                    found.append(f"{path}:{line}: {name}")
    return found


def test_no_layer_below_the_workstation_imports_pygame_at_any_depth() -> None:
    """engine/, analysis/, content/, store/ and formats/ import neither pygame nor the workstation,
    not even inside a function (a lazy import there would only fail on a machine without pygame)."""
    assert pygame_imports(PACKAGE) == []


def test_the_guard_finds_a_pygame_import_inside_a_function(tmp_path: Path) -> None:
    # a planted package: pygame imported only inside functions, a method, an if, and relatively
    root = tmp_path / "typingtest"
    for layer in PYGAME_FREE:
        (root / layer).mkdir(parents=True)
        (root / layer / "__init__.py").write_text("")
    (root / "store" / "planted.py").write_text(
        "def draw():\n    import pygame\n    return pygame\n\n"
        "class Shown:\n    def show(self):\n        from pygame import mixer\n        return mixer\n\n"
        "if __debug__:\n    def later():\n        from ..workstation import app\n        return app\n",
        encoding="utf-8")
    (root / "engine" / "deep" / "inner").mkdir(parents=True)
    (root / "engine" / "deep" / "inner" / "m.py").write_text(
        "def f():\n    try:\n        import typingtest.simulate.drive as d\n    except OSError:\n        d = None\n"
        "    return d\n", encoding="utf-8")
    (root / "analysis" / "fine.py").write_text("import numpy\nfrom .. import engine\n", encoding="utf-8")
    found = [line.replace(str(root), "") for line in pygame_imports(root)]
    assert found == [
        "/engine/deep/inner/m.py:3: typingtest.simulate.drive",
        "/store/planted.py:2: pygame",
        "/store/planted.py:7: pygame",
        "/store/planted.py:7: pygame.mixer",
        "/store/planted.py:12: typingtest.workstation",
        "/store/planted.py:12: typingtest.workstation.app",
    ]


def test_engine_and_analysis_never_import_pygame() -> None:
    """The layer rule of the design, at run time: importing every module of the pygame-free layers
    in a fresh interpreter loads no pygame (what a module imports when it is imported)."""
    code = (
        "import importlib, pkgutil, sys\n"
        f"for name in {PYGAME_FREE!r}:\n"
        "    pkg = importlib.import_module('typingtest.' + name)\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        importlib.import_module(m.name)\n"
        "print('pygame' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('high_contrast = "no"', "high_contrast: must be true or false, got 'no'"),
        ("redraw_every_frame = 1", "redraw_every_frame: must be true or false, got 1"),
        ("retention_days = 2.5", "retention_days: must be a whole number, got 2.5"),
        ("retention_days = true", "retention_days: must be a whole number, got True"),
        ('extra_time = "1.5"', "extra_time: must be a number, got '1.5'"),
        ("proctor_code = 4242", "proctor_code: must be text in quotes, got 4242"),
    ],
)
def test_a_setting_of_the_wrong_type_is_one_line_naming_file_and_key(tmp_path: Path, line: str, message: str) -> None:
    # "no" in quotes is a non-empty string: read as is, it would switch high contrast on
    path = tmp_path / "typingtest.toml"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(UserError) as info:
        load_settings(path)
    assert str(info.value) == f"{path}: {message}"


def test_an_integer_where_a_number_is_expected_is_read_as_a_float(tmp_path: Path) -> None:
    path = tmp_path / "typingtest.toml"
    path.write_text("extra_time = 2\ndb_url = \"sqlite:///x.db\"\n", encoding="utf-8")
    settings = load_settings(path)
    assert settings.extra_time == 2.0 and isinstance(settings.extra_time, float)
    assert settings.db_url == "sqlite:///x.db"
