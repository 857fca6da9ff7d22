"""The core imports neither Qt nor vlc; console commands other than the GUI never import Qt; no module of
``player`` takes part in an import cycle, and every one imports."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

PROBE = """
import sys, pkgutil, importlib, player.core
for module in pkgutil.walk_packages(player.core.__path__, "player.core."):
    importlib.import_module(module.name)
import player.playback.fake, player.playback.base
bad = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "vlc"))
print(",".join(bad))
"""

CLI_PROBE = """
import sys, contextlib, io
from player.cli.entry import main
with contextlib.redirect_stdout(io.StringIO()):
    main(["sessions"]); main(["check"])
print(",".join(sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6"))))
"""


def _run(code: str) -> str:
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    return result.stdout.strip()


def test_core_imports_no_qt_and_no_vlc() -> None:
    assert _run(PROBE) == ""


def test_console_commands_import_no_qt() -> None:
    assert _run(CLI_PROBE) == ""


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Every module of ``player`` and the ``player`` modules it imports (at the top, in functions, for typing)."""
    files = {_module_name(path): path for path in sorted((REPO / "player").rglob("*.py"))}
    graph: dict[str, set[str]] = {name: set() for name in files}
    for name, path in files.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*parent, base] if base else parent)
                targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in files else base for alias in node.names]
            graph[name] |= {target for target in targets if target in files and target != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_in_player() -> None:
    graph = import_graph()
    assert "player.ui.bootstrap" in graph["player.cli.entry"]  # the graph sees imports inside functions
    assert cycles(graph) == []


def test_ui_never_imports_the_console() -> None:
    graph = import_graph()
    assert [(name, sorted(t for t in targets if t.startswith("player.cli")))
            for name, targets in graph.items()
            if name.startswith("player.ui") and any(t.startswith("player.cli") for t in targets)] == []


def test_every_module_imports() -> None:
    code = ("import importlib, pathlib\n"
            "for path in sorted(pathlib.Path('player').rglob('*.py')):\n"
            "    if path.name != '__main__.py':\n"
            "        importlib.import_module('.'.join(path.with_suffix('').parts).removesuffix('.__init__'))\n"
            "print('ok')")
    assert _run(code) == "ok"
