"""The house rules of docs/architecture.md ("Rules the tests enforce"), checked on the source.

Everything here reads the code with ``ast`` (nothing is imported or run), so a rule can be tested on
a deliberately broken tree as well as on the real one. ``violations(root)`` lists every breach as
"path:line: what is wrong"; an empty list means the tree keeps the rules.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

# Where each layer may not reach. A layer is a path prefix (folder or module) of the repository;
# a forbidden import is a module prefix ("hub.db" also forbids "hub.db.x", not "hub.dbx").
FORBIDDEN: dict[str, tuple[str, ...]] = {
    # hub/ is importable without Streamlit and never reaches up into the app, the loaders or tools.
    "hub": ("streamlit", "ui", "pages", "app", "serve", "loaders", "generators", "bench", "tests"),
    # The store (schema, engine, data version, migrations) knows nothing of what reads it.
    "hub/models.py": ("hub.queries", "hub.charts", "hub.maps", "hub.pdf", "hub.pdf_compare", "hub.exports",
                      "hub.alerts", "hub.scoring", "hub.web"),
    "hub/db.py": ("hub.queries", "hub.charts", "hub.maps", "hub.pdf", "hub.pdf_compare", "hub.exports",
                  "hub.alerts", "hub.scoring", "hub.web"),
    "hub/state.py": ("hub.queries", "hub.charts", "hub.maps", "hub.pdf", "hub.pdf_compare", "hub.exports",
                     "hub.alerts", "hub.scoring", "hub.web"),
    "hub/migrations": ("hub.queries", "hub.charts", "hub.maps", "hub.pdf", "hub.pdf_compare", "hub.exports",
                       "hub.alerts", "hub.scoring", "hub.web"),
    # Figure, map and PDF builders take frames in: no data access of their own.
    "hub/charts": ("hub.db", "hub.models", "hub.state", "hub.queries", "sqlalchemy", "sqlmodel"),
    "hub/maps.py": ("hub.db", "hub.models", "hub.state", "hub.queries", "sqlalchemy", "sqlmodel"),
    "hub/pdf.py": ("hub.db", "hub.models", "hub.state", "hub.queries", "sqlalchemy", "sqlmodel"),
    "hub/pdf_compare.py": ("hub.db", "hub.models", "hub.state", "hub.queries", "sqlalchemy", "sqlmodel"),
    # Loaders and generators write files and the store; they never import the app.
    "loaders": ("streamlit", "ui", "pages", "app", "serve", "bench", "tests"),
    "generators": ("streamlit", "ui", "pages", "app", "serve", "bench", "tests"),
    # ui/ serves pages and never imports one.
    "ui": ("pages", "app", "serve", "bench", "tests"),
    # Pages lay out: no store, no SQL, no scoring writes, no other page.
    "pages": ("hub.db", "hub.models", "hub.state", "hub.migrations", "hub.scoring.store", "sqlalchemy", "sqlmodel",
              "app", "serve", "bench", "tests"),
}

# Modules of hub/queries that are the query layer's own tools, not queries a page calls.
QUERY_TOOLS = {"__init__", "base", "scope", "dates"}


@dataclass(frozen=True)
class Breach:
    path: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what}"


def _imports(tree: ast.AST):
    """(line, module) for every absolute import, at any depth (imports inside functions count)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module
            for alias in node.names:               # "from hub import db" imports hub.db
                yield node.lineno, f"{node.module}.{alias.name}"


def _under(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def _sources(root: Path):
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if rel.startswith((".venv/", "tests/", "bench/", "build/")) or "/." in f"/{rel}":
            continue
        yield rel, path


def import_breaches(root: Path) -> list[Breach]:
    out = []
    for rel, path in _sources(root):
        rules = [(layer, banned) for layer, banned in FORBIDDEN.items()
                 if rel == layer or rel.startswith(layer.rstrip("/") + "/")]
        if not rules:
            continue
        seen = set()
        for line, module in _imports(ast.parse(path.read_text(encoding="utf-8"), rel)):
            for layer, banned in rules:
                hit = next((b for b in banned if _under(module, b)), None)
                if hit and line not in seen:
                    seen.add(line)
                    out.append(Breach(rel, line, f"imports {module} ({layer} may not import {hit})"))
    return out


def _body_without_docstring(tree: ast.Module) -> list[ast.stmt]:
    body = list(tree.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]
    while body and isinstance(body[0], ast.ImportFrom) and body[0].module == "__future__":
        body = body[1:]
    return body


def _is_guard(stmt: ast.stmt, page_id: str) -> bool:
    """``viewer = ui.require_viewer("<page id>")``."""
    return (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name) and stmt.targets[0].id == "viewer"
            and isinstance(stmt.value, ast.Call) and isinstance(stmt.value.func, ast.Attribute)
            and isinstance(stmt.value.func.value, ast.Name) and stmt.value.func.value.id == "ui"
            and stmt.value.func.attr == "require_viewer"
            and [getattr(a, "value", None) for a in stmt.value.args] == [page_id])


def page_breaches(root: Path) -> list[Breach]:
    """Every page starts (after its docstring) with ``import ui`` and its guard, nothing before."""
    out = []
    for path in sorted((root / "pages").glob("*.py")):
        rel = path.relative_to(root).as_posix()
        body = _body_without_docstring(ast.parse(path.read_text(encoding="utf-8"), rel))
        first_two = body[:2]
        ok = (len(first_two) == 2 and isinstance(first_two[0], ast.Import)
              and [a.name for a in first_two[0].names] == ["ui"] and first_two[0].names[0].asname is None
              and _is_guard(first_two[1], path.stem))
        if not ok:
            line = body[0].lineno if body else 1
            out.append(Breach(rel, line, f'does not start with: import ui / viewer = ui.require_viewer("{path.stem}")'))
    return out


def query_breaches(root: Path) -> list[Breach]:
    """Every public function of a query module that reads the store (it takes ``engine``) takes
    ``viewer`` as its first parameter. Pure helpers over values and frames (no ``engine``) are free."""
    out = []
    for path in sorted((root / "hub" / "queries").glob("*.py")):
        if path.stem in QUERY_TOOLS:
            continue
        rel = path.relative_to(root).as_posix()
        for node in ast.parse(path.read_text(encoding="utf-8"), rel).body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not node.name.startswith("_"):
                args = node.args.posonlyargs + node.args.args
                names = {a.arg for a in args + node.args.kwonlyargs}
                if "engine" in names and (not args or args[0].arg != "viewer"):
                    out.append(Breach(rel, node.lineno, f"query {node.name}() does not take viewer first"))
    return out


def violations(root: Path) -> list[Breach]:
    return import_breaches(root) + page_breaches(root) + query_breaches(root)
