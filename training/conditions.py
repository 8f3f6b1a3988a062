"""A small, safe condition language over call and question facts (pure Python, never eval).

A condition is one expression in Python's syntax, restricted to comparisons,
``and``/``or``/``not``, fact names, literals and lists of literals, e.g.::

    contract_status in ['parcial', 'total', 'desconectado'] and days_open > 4
    and not broken_promise

It is parsed once with :mod:`ast`, checked against a whitelist of node types,
and evaluated by walking that tree. Anything else (calls, attributes,
subscripts, arithmetic, lambdas...) is rejected when content is loaded.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache


class ConditionError(ValueError):
    """A condition that cannot be parsed, names an unknown fact, or cannot be evaluated."""


_COMPARE = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}
_LITERAL_TYPES = (str, int, float, bool)
# A condition a person writes fits in a line or two and nests a few levels; anything bigger is
# refused with a clear message rather than left to exhaust the parser.
MAX_LENGTH = 1000
MAX_DEPTH = 20


@dataclass(frozen=True)
class Condition:
    source: str
    tree: ast.expr
    names: frozenset[str]

    def evaluate(self, facts: Mapping[str, object]) -> bool:
        return bool(_eval(self.tree, facts))


@lru_cache(maxsize=4096)
def parse_condition(source: str) -> Condition:
    """Parse and whitelist-check ``source``; raise ConditionError with a readable reason."""
    text = (source or "").strip()
    if not text:
        raise ConditionError("empty condition")
    if len(text) > MAX_LENGTH:
        raise ConditionError(f"a condition is at most {MAX_LENGTH} characters long")
    try:
        tree = ast.parse(text, mode="eval").body
    except SyntaxError as exc:
        raise ConditionError(f"invalid syntax in condition {text!r}: {exc.msg}") from None
    except (RecursionError, MemoryError):
        raise ConditionError(f"a condition nests at most {MAX_DEPTH} levels deep") from None
    if _depth(tree) > MAX_DEPTH:
        raise ConditionError(f"a condition nests at most {MAX_DEPTH} levels deep")
    names: set[str] = set()
    _check(tree, names)
    return Condition(source=text, tree=tree, names=frozenset(names))


def unknown_names(source: str, known: Iterable[str]) -> list[str]:
    """The fact names a (valid) condition uses that are not in ``known``, sorted."""
    return sorted(parse_condition(source).names - set(known))


def evaluate(source: str | None, facts: Mapping[str, object]) -> bool:
    """True when there is no condition, else the condition's value under ``facts``."""
    if source is None or not str(source).strip():
        return True
    return parse_condition(source).evaluate(facts)


def literals(source: str) -> dict[str, set[object]]:
    """Per fact name, the literal values the condition compares it with.

    Authoring checks use these to enumerate the boundary cases of integer facts.
    """
    found: dict[str, set[object]] = {}
    for node in ast.walk(parse_condition(source).tree):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            names = [o.id for o in operands if isinstance(o, ast.Name)]
            values = [o.value for o in operands if isinstance(o, ast.Constant)]
            for name in names:
                found.setdefault(name, set()).update(values)
    return found


def _depth(tree: ast.AST) -> int:
    """How deeply the expression nests, counted without recursion."""
    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth <= MAX_DEPTH:
            stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest


def _check(node: ast.AST, names: set[str]) -> None:
    if isinstance(node, ast.BoolOp):
        for value in node.values:
            _check(value, names)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        _check(node.operand, names)
    elif isinstance(node, ast.Compare):
        for op in node.ops:
            if type(op) not in _COMPARE:
                raise ConditionError(f"operator {type(op).__name__} is not allowed")
        for operand in (node.left, *node.comparators):
            _check(operand, names)
    elif isinstance(node, ast.Name):
        if node.id in {"True", "False", "None"}:
            return
        names.add(node.id)
    elif isinstance(node, ast.Constant):
        if not isinstance(node.value, _LITERAL_TYPES):
            raise ConditionError(f"literal {node.value!r} is not allowed")
    elif isinstance(node, ast.List | ast.Tuple):
        for element in node.elts:
            if not isinstance(element, ast.Constant) or not isinstance(
                element.value, _LITERAL_TYPES
            ):
                raise ConditionError("lists may hold only literal values")
    else:
        raise ConditionError(f"{type(node).__name__} is not allowed in a condition")


def _eval(node: ast.AST, facts: Mapping[str, object]) -> object:
    if isinstance(node, ast.BoolOp):
        if isinstance(node.op, ast.And):
            return all(_eval(v, facts) for v in node.values)
        return any(_eval(v, facts) for v in node.values)
    if isinstance(node, ast.UnaryOp):
        return not _eval(node.operand, facts)
    if isinstance(node, ast.Compare):
        left = _eval(node.left, facts)
        for op, comparator in zip(node.ops, node.comparators, strict=True):
            right = _eval(comparator, facts)
            try:
                if not _COMPARE[type(op)](left, right):
                    return False
            except TypeError:
                raise ConditionError(
                    f"cannot compare {left!r} with {right!r} in {ast.unparse(node)!r}"
                ) from None
            left = right
        return True
    if isinstance(node, ast.Name):
        if node.id in {"True", "False", "None"}:
            return {"True": True, "False": False, "None": None}[node.id]
        try:
            return facts[node.id]
        except KeyError:
            raise ConditionError(f"unknown fact {node.id!r}") from None
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.List | ast.Tuple):
        return [element.value for element in node.elts]  # checked: constants only
    raise ConditionError(f"{type(node).__name__} is not allowed in a condition")
