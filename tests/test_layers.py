"""Dependencies point one way: api/ -> roster/ -> roster/solver/.

Read from the source, not from what happens to be loaded: a stray import in a rarely
used module is found as well.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


# The `roster` console script is where the layers are put together: `roster serve` and
# its siblings load the API (lazily) from there, so the entry point may name api/.
ENTRY_POINT = ROOT / "roster" / "cli.py"


def offending(folder: str, forbidden: Callable[[str], bool]) -> list[str]:
    return [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path != ENTRY_POINT
        for module in sorted(imported_modules(path))
        if forbidden(module)
    ]


def within(*packages: str) -> Callable[[str], bool]:
    return lambda module: any(module == p or module.startswith(p + ".") for p in packages)


def test_the_api_reaches_the_solver_only_through_roster() -> None:
    assert offending("api", within("roster.solver")) == []


def test_roster_never_reaches_back_into_the_api() -> None:
    assert offending("roster", within("api")) == []


def test_the_solver_imports_nothing_else_of_the_project() -> None:
    def outside_the_solver(module: str) -> bool:
        return within("api", "roster")(module) and not within("roster.solver")(module)

    assert offending("roster/solver", outside_the_solver) == []


def test_the_check_finds_an_import_that_points_the_wrong_way(tmp_path: Path) -> None:
    stray = tmp_path / "stray.py"
    stray.write_text("from roster.solver.problem import Progress\nimport api.app\n")
    assert imported_modules(stray) == {"roster.solver.problem", "api.app"}
