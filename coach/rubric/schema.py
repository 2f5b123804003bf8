"""Rubric YAML: load with line numbers, validate with pydantic, report EVERY problem at once.

``load_yaml(path)`` returns the data plus a map from key paths (``("items", 2, "weight")``) to
line numbers; ``validate(data, lines, path)`` returns a list of :class:`ValidationIssue`
(file, line, key, message) covering malformed YAML, unknown keys, wrong types, bad regular
expressions, unknown vocabularies or check kinds, an empty rubric, duplicate item ids and
unknown languages. :func:`coach.rubric.model.load_rubric` raises them together as one
:class:`~coach.errors.ValidationError`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal, Union

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic import ValidationError as PydErr

from coach.errors import ValidationIssue
from coach.types import LANGS

LangText = Union[str, dict[str, str]]
LangList = Union[dict[str, list[str]], list[str]]
LANG_KEYS = set(LANGS) | {"any"}


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Window(_M):
    first: int | None = Field(None, ge=1, description="only the speaker's first N turns")
    last: int | None = Field(None, ge=1, description="only the speaker's last N turns")


class NotApplicable(_M):
    customer_never_says: LangList | None = Field(
        None, description="item is N/A when no customer turn matches these patterns (e.g. no complaint voiced)")
    fewer_agent_turns_than: int | None = Field(None, ge=1, description="item is N/A in shorter calls")


class Examples(_M):
    match: list[str] = Field(default_factory=list)
    no_match: list[str] = Field(default_factory=list)


class ItemModel(_M):
    id: str = Field(..., pattern=r"^[a-z][a-z0-9_-]*$")
    title: LangText | None = None
    description: LangText | None = None
    speaker: Literal["agent", "customer", "any"] = "agent"
    check: dict[str, Any] = Field(..., description="a check: {kind: <name.vN>, ...parameters of that kind}")
    weight: float = Field(1.0, ge=0)
    critical: bool = False
    bad: bool = Field(False, description="a bad finding: a hit counts against the agent")
    min_count: int = Field(1, ge=1)
    window: Window | None = None
    not_applicable_if: NotApplicable | None = None
    feedback: LangText | None = Field(None, description="shown when the item is missed (bad items: when hit)")
    examples: dict[str, Examples] = Field(default_factory=dict)


class RubricModel(_M):
    id: str = Field(..., pattern=r"^[a-z][a-z0-9_-]*$")
    title: LangText
    version: Union[str, int, float]
    languages: list[str] = Field(..., min_length=1)
    description: LangText | None = None
    pass_mark: float | None = Field(None, ge=0, le=100)
    vocab: dict[str, LangList] = Field(default_factory=dict, description="named word lists, used in patterns as {name}")
    items: list[ItemModel] = Field(..., min_length=1)

    @field_validator("version")
    @classmethod
    def _v(cls, v: Any) -> str:
        return str(v)


class _LineLoader(yaml.SafeLoader):
    pass


def load_yaml(path: str | Path, text: str | None = None) -> tuple[Any, dict[tuple, int], list[ValidationIssue]]:
    """Parse YAML, keeping the line of every key and item. Returns (data, lines, issues)."""
    fname = str(path)
    if text is None:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            return None, {}, [ValidationIssue(fname, None, None, f"cannot read: {exc}")]
    try:
        node = yaml.compose(text, Loader=_LineLoader)
        data = yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        return None, {}, [ValidationIssue(fname, line, None, f"malformed YAML: {problem}")]
    lines: dict[tuple, int] = {}
    issues: list[ValidationIssue] = []
    if node is not None:
        _walk(node, (), lines, issues, fname)
    return data, lines, issues


def _walk(node: yaml.Node, path: tuple, lines: dict, issues: list, fname: str) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set = set()
        for knode, vnode in node.value:
            key = knode.value if isinstance(knode, yaml.ScalarNode) else str(knode)
            if key in seen:
                issues.append(ValidationIssue(fname, knode.start_mark.line + 1, str(key), "duplicate key"))
            seen.add(key)
            lines[path + (key,)] = knode.start_mark.line + 1
            _walk(vnode, path + (key,), lines, issues, fname)
    elif isinstance(node, yaml.SequenceNode):
        for i, child in enumerate(node.value):
            _walk(child, path + (i,), lines, issues, fname)


def line_of(lines: dict[tuple, int], loc: tuple) -> int | None:
    loc = tuple(loc)
    while loc:
        if loc in lines:
            return lines[loc]
        loc = loc[:-1]
    return lines.get(())


def key_of(loc: tuple) -> str | None:
    for part in reversed(tuple(loc)):
        if isinstance(part, str) and part not in LANG_KEYS:
            return part
    return None


def issue(fname: str, lines: dict, loc: tuple, message: str) -> ValidationIssue:
    loc = tuple(loc)
    where = ".".join(str(p) for p in loc)
    key = key_of(loc)
    if where and where != key:
        message = f"{message} (at {where})"
    return ValidationIssue(fname, line_of(lines, loc), key, message)


def _message(err: dict) -> str:
    t = err.get("type", "")
    if t == "extra_forbidden":
        return "unknown key"
    if t == "missing":
        return "required key is missing"
    if t == "too_short" and err.get("loc", ())[-1:] == ("items",):
        return "empty rubric: at least one item is needed"
    return err.get("msg", "invalid value")


def validate_model(data: Any, lines: dict, fname: str) -> tuple[RubricModel | None, list[ValidationIssue]]:
    """Structure and types, then cross-field rules. Returns (model or None, issues)."""
    if data is None:
        return None, [ValidationIssue(fname, 1, None, "empty rubric: the file has no content")]
    if not isinstance(data, dict):
        return None, [ValidationIssue(fname, line_of(lines, ()), None, "a rubric must be a mapping (id, title, version, languages, items)")]
    issues: list[ValidationIssue] = []
    try:
        model = RubricModel.model_validate(data)
    except PydErr as exc:
        seen = set()
        for err in exc.errors():
            loc = _clean_loc(err["loc"])
            k = (loc, _message(err))
            if k in seen:
                continue
            seen.add(k)
            issues.append(issue(fname, lines, loc, _message(err)))
        model = None
    issues.extend(_cross_checks(data, lines, fname))
    return (model if not issues else None), issues


def _clean_loc(loc: tuple) -> tuple:
    # pydantic adds union-branch names ("str", "dict[str,list[str]]"...) into locs: drop them
    return tuple(p for p in loc if not (isinstance(p, str) and (p in {"str", "list[str]", "int", "float"} or "[" in p)))


def _cross_checks(data: dict, lines: dict, fname: str) -> list[ValidationIssue]:
    out: list[ValidationIssue] = []
    langs = data.get("languages")
    if isinstance(langs, list):
        for i, lang in enumerate(langs):
            if lang not in LANGS:
                out.append(issue(fname, lines, ("languages", i), f"unknown language {lang!r} (supported: {', '.join(LANGS)})"))
    items = data.get("items")
    if isinstance(items, list):
        seen: dict[str, int] = {}
        for i, it in enumerate(items):
            if not isinstance(it, dict):
                continue
            iid = it.get("id")
            if isinstance(iid, str):
                if iid in seen:
                    out.append(issue(fname, lines, ("items", i, "id"), f"duplicate item id {iid!r} (first at item {seen[iid]})"))
                seen.setdefault(iid, i)
            for key in ("feedback", "title", "description", "examples"):
                val = it.get(key)
                if isinstance(val, dict):
                    for lang in val:
                        if lang not in LANG_KEYS:
                            out.append(issue(fname, lines, ("items", i, key, lang), f"unknown language {lang!r} (supported: {', '.join(LANGS)})"))
            _lang_keys(it.get("check"), ("items", i, "check"), lines, fname, out)
    vocab = data.get("vocab")
    if isinstance(vocab, dict):
        for name, val in vocab.items():
            if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", str(name)):
                out.append(issue(fname, lines, ("vocab", name), "vocabulary names are letters, digits and _"))
            if isinstance(val, dict):
                for lang in val:
                    if lang not in LANG_KEYS:
                        out.append(issue(fname, lines, ("vocab", name, lang), f"unknown language {lang!r}"))
    return out


_LANG_MAP_KEYS = {"patterns", "phrases", "exclude", "unless", "unless_exclude", "breaks", "commitment", "time", "veto", "sentence_veto", "veto_before", "conjunctions", "customer_never_says"}


def _lang_keys(obj: Any, loc: tuple, lines: dict, fname: str, out: list) -> None:
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k in _LANG_MAP_KEYS and isinstance(v, dict):
                for lang in v:
                    if lang not in LANG_KEYS:
                        out.append(issue(fname, lines, loc + (k, lang), f"unknown language {lang!r} (supported: {', '.join(LANGS)})"))
            elif isinstance(v, (dict, list)):
                _lang_keys(v, loc + (k,), lines, fname, out)
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            _lang_keys(v, loc + (i,), lines, fname, out)


def json_schema() -> dict:
    """JSON Schema for editors: the rubric model, with each registered check kind spelled out."""
    from coach.rubric.registry import REGISTRY

    schema = RubricModel.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "coach rubric"
    variants = []
    defs = schema.setdefault("$defs", {})
    for name in REGISTRY.names():
        kind = REGISTRY.kinds[name]
        sub = kind.params.model_json_schema(ref_template="#/$defs/{model}")
        for dname, d in sub.pop("$defs", {}).items():
            defs.setdefault(dname, d)
        sub.setdefault("properties", {})["kind"] = {"const": name}
        sub["required"] = sorted(set(sub.get("required", [])) | {"kind"})
        sub["title"] = name
        if kind.doc:
            sub["description"] = kind.doc
        variants.append(sub)
    defs["ItemModel"]["properties"]["check"] = {"anyOf": variants, "description": "a check: kind + its parameters"}
    return schema
