#!/usr/bin/env python3
"""Print the package-level import graph of this repository, counting import statements per edge.

    python scripts/import_graph.py            # top-level packages (core, flows, llais, ...)
    python scripts/import_graph.py --depth 2  # one level deeper (llais.alerts, storage.repo, ...)
    python scripts/import_graph.py --tests    # include tests/ as a package

Every ``import`` / ``from ... import`` statement anywhere in a module (also inside functions and
``TYPE_CHECKING`` blocks) counts once per package it reaches. Imports within one package are not
edges. Packages that import each other, directly or round a longer loop, are listed as cycles.
Standard library only (ast), so it runs without the virtualenv.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP_DIRS = {".venv", ".venv-rasa", ".git", "build", "var", "node_modules", "__pycache__"}


def top_packages(root: Path, with_tests: bool) -> list[str]:
    """Directories at the root with an ``__init__.py``: the project's own packages."""
    names = [
        p.name
        for p in sorted(root.iterdir())
        if p.is_dir() and p.name not in SKIP_DIRS and (p / "__init__.py").exists()
    ]
    return [n for n in names if with_tests or n != "tests"]


def modules(root: Path, package: str) -> Iterator[tuple[str, Path]]:
    """(dotted module name, path) of every module in ``package``."""
    for path in sorted((root / package).rglob("*.py")):
        if SKIP_DIRS & set(path.relative_to(root).parts):
            continue
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        yield ".".join(parts), path


def imported_names(tree: ast.AST, module: str, is_package: bool) -> Iterator[tuple[int, str]]:
    """(statement line, absolute dotted name) for every name an import statement reaches."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                keep = len(base) - node.level + (1 if is_package else 0)
                prefix = ".".join(base[:keep])
                target = f"{prefix}.{node.module}" if node.module else prefix
            else:
                target = node.module or ""
            for alias in node.names:
                yield node.lineno, f"{target}.{alias.name}" if target else alias.name


def owner(name: str, packages: dict[str, int], depth: int) -> str | None:
    """The (depth-limited) package of ours that ``name`` lives in, or None."""
    parts = name.split(".")
    if parts[0] not in packages:
        return None
    return ".".join(parts[: min(depth, len(parts))])


def graph(root: Path, depth: int, with_tests: bool) -> tuple[Counter[tuple[str, str]], set[str]]:
    """Edges (source, target) -> number of import statements, and every node seen."""
    packages = {name: 1 for name in top_packages(root, with_tests)}
    subpackages = {
        ".".join(p.relative_to(root).parts[:-1])
        for name in packages
        for p in (root / name).rglob("__init__.py")
        if not SKIP_DIRS & set(p.relative_to(root).parts)
    }
    edges: Counter[tuple[str, str]] = Counter()
    nodes: set[str] = set()
    for package in packages:
        for module, path in modules(root, package):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            source = _node(module, depth, subpackages)
            nodes.add(source)
            is_package = path.name == "__init__.py"
            seen: set[tuple[int, str]] = set()
            for line, name in imported_names(tree, module, is_package):
                target = owner(name, packages, depth)
                if target is None:
                    continue
                target = _node(target, depth, subpackages)
                if target != source and (line, target) not in seen:
                    seen.add((line, target))
                    edges[(source, target)] += 1
                    nodes.add(target)
    return edges, nodes


def _node(dotted: str, depth: int, subpackages: set[str]) -> str:
    """Cut ``dotted`` to ``depth`` parts, and back to a package (a module is its package's)."""
    parts = dotted.split(".")[:depth]
    while len(parts) > 1 and ".".join(parts) not in subpackages:
        parts.pop()
    return ".".join(parts)


def cycles(edges: Counter[tuple[str, str]], nodes: set[str]) -> list[list[str]]:
    """Strongly connected components with more than one package (Tarjan)."""
    succ: dict[str, list[str]] = {n: [] for n in nodes}
    for source, target in edges:
        succ[source].append(target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in succ[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(nodes):
        if node not in index:
            visit(node)
    return sorted(found)


def main(argv: list[str] | None = None) -> int:
    """Print the graph: one edge per line, then totals and cycles."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--depth", type=int, default=1, help="package depth (default 1)")
    parser.add_argument("--tests", action="store_true", help="include tests/")
    parser.add_argument("--root", type=Path, default=ROOT, help="repository root")
    args = parser.parse_args(argv)
    edges, nodes = graph(args.root, max(args.depth, 1), args.tests)
    width = max((len(s) + len(t) for s, t in edges), default=0) + 4
    print(f"import statements per edge (package depth {args.depth})")
    for (source, target), count in sorted(edges.items()):
        print(f"  {f'{source} -> {target}':<{width}} {count:>4}")
    print(f"packages: {len(nodes)}, edges: {len(edges)}, statements: {sum(edges.values())}")
    loops = cycles(edges, nodes)
    if loops:
        for loop in loops:
            print("cycle: " + " <-> ".join(loop))
    else:
        print("cycles: none")
    return 0


if __name__ == "__main__":
    sys.exit(main())
