"""The layout shows the architecture, and imports flow one way.

commands (and the CLI) -> server -> core nouns -> cards -> subsystems (shacl, pictures) -> store -> foundation.
A module may import its own layer or any layer below; never one above. The two
subsystems do not import each other; cards (the editor's article cards) build on shacl.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kgtool"

FOUNDATION = {"kgtool", "kgtool.errors", "kgtool.namespaces", "kgtool.paths", "kgtool.wording",
              "kgtool.registry", "kgtool.signals", "kgtool.worker"}
CORE_NOUNS = {"kgtool.queries", "kgtool.results", "kgtool.description", "kgtool.statistics",
              "kgtool.synthetic"}
TOP = {"kgtool.cli", "kgtool.launcher", "kgtool.__main__"}
SUBSYSTEMS = ("kgtool.shacl", "kgtool.pictures")


def layer(module: str) -> tuple[int, str]:
    """(height, name of the layer): higher layers may import lower ones."""
    if module in TOP or module.startswith("kgtool.commands"):
        return 6, "commands"
    if module == "kgtool.server" or module.startswith("kgtool.server."):
        return 5, "server"
    if module in CORE_NOUNS:
        return 4, "core"
    if module == "kgtool.cards" or module.startswith("kgtool.cards."):
        return 3, "cards"
    for subsystem in SUBSYSTEMS:
        if module == subsystem or module.startswith(subsystem + "."):
            return 2, subsystem
    if module == "kgtool.store" or module.startswith("kgtool.store."):
        return 1, "store"
    if module in FOUNDATION:
        return 0, "foundation"
    raise AssertionError(f"{module} belongs to no layer: add it to one in tests/test_layout.py")


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def kgtool_imports(path: Path) -> set[str]:
    """Every kgtool module the file imports, at the top or inside a function."""
    imported = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported.update(a.name for a in node.names if a.name.startswith("kgtool"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kgtool"):
            for alias in node.names:  # `from kgtool import queries` imports kgtool.queries
                candidate = f"{node.module}.{alias.name}"
                imported.add(candidate if candidate in MODULES else node.module)
    return imported


MODULES = modules()


def test_every_module_has_a_layer():
    assert len(MODULES) >= 40
    for name in MODULES:
        layer(name)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_imports_upward(name):
    height, own = layer(name)
    for target in kgtool_imports(MODULES[name]):
        target_height, other = layer(target)
        assert target_height <= height, f"{name} ({own}) imports {target} ({other}), a layer above it"
        if height == target_height == 2:
            assert own == other, f"{name} ({own}) imports {target} ({other}): subsystems stay apart"


def test_the_layout_names_the_subsystems():
    for folder in ("commands", "shacl", "pictures", "store"):
        assert (PACKAGE / folder / "__init__.py").is_file()
    flat = sorted(p.stem for p in PACKAGE.glob("*.py"))
    assert len(flat) <= 16, f"the top level is flat again: {flat}"


def test_the_checker_sees_an_upward_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from kgtool.commands.query import command\n", encoding="utf-8")
    assert "kgtool.commands.query" in kgtool_imports(bad)
    assert layer("kgtool.commands.query")[0] > layer("kgtool.store.dataset")[0]
