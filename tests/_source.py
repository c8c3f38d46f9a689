"""Reading our own source in tests: the string constants a module holds, docstrings left out."""

from __future__ import annotations

import ast
from pathlib import Path


def string_constants(path: Path) -> list[ast.Constant]:
    """Every string literal of the module at `path` that is not a module, class or function docstring."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]
