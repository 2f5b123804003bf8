"""Read YAML and remember the line of every key and item, so errors can say file:line.

``load_yaml(text, path)`` returns ``(data, lines)`` where ``lines`` maps a path tuple such as
``("variants", "en", "opening", 2)`` to its 1-based line. Malformed YAML and duplicate keys
become :class:`~coach.errors.ValidationIssue` objects (all of them, not just the first).
"""

from __future__ import annotations

from typing import Any

import yaml

from coach.errors import ValidationIssue

try:  # the C loader when present: same nodes, faster
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Lines = dict[tuple, int]


def load_yaml(text: str, path: str | None = None) -> tuple[Any, Lines, list[ValidationIssue]]:
    """Parse ``text``. Returns (data, lines, issues); data is None when the YAML is malformed."""
    issues: list[ValidationIssue] = []
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        return None, {}, [ValidationIssue(path, line, None, f"malformed YAML: {problem}")]
    except yaml.YAMLError as exc:  # pragma: no cover - unusual loader errors
        return None, {}, [ValidationIssue(path, None, None, f"malformed YAML: {exc}")]
    lines: Lines = {}
    if node is None:
        return None, lines, [ValidationIssue(path, 1, None, "the file is empty")]
    data = _convert(node, (), lines, issues, path)
    return data, lines, issues


_BOOL = {"true": True, "false": False, "yes": True, "no": False, "on": True, "off": False}


def _scalar(node: yaml.ScalarNode) -> Any:
    tag = node.tag
    value = node.value
    if tag.endswith(":str"):
        return value
    if tag.endswith(":int"):
        try:
            return int(value.replace("_", ""), 0)
        except ValueError:
            return value
    if tag.endswith(":float"):
        try:
            return float(value.replace("_", ""))
        except ValueError:
            return value
    if tag.endswith(":bool"):
        return _BOOL.get(value.lower(), value)
    if tag.endswith(":null"):
        return None
    return value


def _convert(node: yaml.Node, at: tuple, lines: Lines, issues: list, path: str | None) -> Any:
    lines[at] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _convert(key_node, at + ("<key>",), {}, issues, path)
            if not isinstance(key, (str, int, float, bool)) or key is None:
                issues.append(ValidationIssue(path, key_node.start_mark.line + 1, None,
                                              "keys must be plain words"))
                continue
            key = str(key)
            if key in out:
                issues.append(ValidationIssue(path, key_node.start_mark.line + 1, _dotted(at + (key,)),
                                              "duplicate key"))
            out[key] = _convert(value_node, at + (key,), lines, issues, path)
            lines[at + (key,)] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, at + (i,), lines, issues, path) for i, item in enumerate(node.value)]
    return _scalar(node)


def _dotted(at: tuple) -> str:
    out = ""
    for part in at:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def line_of(lines: Lines, at: tuple) -> int | None:
    """Line of ``at`` or of its nearest ancestor that has one."""
    at = tuple(at)
    while True:
        if at in lines:
            return lines[at]
        if not at:
            return None
        at = at[:-1]


dotted = _dotted
