"""Check a parsed scenario against ``scenario.schema.json`` and the rules a schema cannot say.

Every problem becomes a :class:`ValidationIssue` with file, line, key and a short message;
all of them are returned at once, sorted by line.
"""

from __future__ import annotations

import difflib
import json
import re
import string
from functools import lru_cache
from importlib import resources
from typing import Any

from coach.errors import ValidationIssue
from coach.persona.intents import BUILTIN_INTENTS
from coach.persona.yamlsrc import Lines, dotted, line_of


@lru_cache(maxsize=1)
def schema() -> dict:
    text = resources.files("coach.persona").joinpath("scenario.schema.json").read_text("utf-8")
    return json.loads(text)


@lru_cache(maxsize=1)
def _validator():
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema())


_TYPE_NAMES = {"string": "text", "number": "a number", "integer": "a whole number", "object": "a mapping",
               "array": "a list", "boolean": "true or false", "null": "empty"}


def _type_of(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "empty" if value is None else type(value).__name__


def _schema_issues(data: Any, lines: Lines, path: str | None) -> list[ValidationIssue]:
    out: list[ValidationIssue] = []
    seen_required: set[tuple] = set()
    for err in _validator().iter_errors(data):
        at = tuple(err.absolute_path)
        kind = err.validator
        if len(at) >= 2 and at[0] == "variants" and at[1] not in ("en", "fi"):
            continue  # reported once as an unknown language below, not field by field
        if "propertyNames" in err.schema_path:
            out.append(ValidationIssue(path, line_of(lines, at + (err.instance,)), dotted(at + (err.instance,)),
                                       f"unknown language '{err.instance}' (known: en, fi)"))
            continue
        if kind == "additionalProperties" and isinstance(err.instance, dict):
            known = sorted(err.schema.get("properties", {}))
            for key in err.instance:
                if key in known:
                    continue
                hint = difflib.get_close_matches(key, known, n=1)
                more = f" (did you mean '{hint[0]}'?)" if hint else f" (known: {', '.join(known)})"
                out.append(ValidationIssue(path, line_of(lines, at + (key,)), dotted(at + (key,)),
                                           f"unknown key '{key}'{more}"))
            continue
        if kind == "required":
            # jsonschema reports each missing field as its own error, each with the whole list
            missing = [k for k in err.validator_value if k not in err.instance and (at, k) not in seen_required]
            for key in missing:
                seen_required.add((at, key))
                out.append(ValidationIssue(path, line_of(lines, at), dotted(at) or None,
                                           f"missing required field '{key}'"))
            continue
        if kind == "type":
            want = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
            names = " or ".join(_TYPE_NAMES.get(w, w) for w in want)
            msg = f"must be {names}, not {_type_of(err.instance)}"
        elif kind == "enum":
            msg = f"must be one of: {', '.join(map(str, err.validator_value))} (got {err.instance!r})"
        elif kind in ("minItems", "minLength", "minProperties"):
            msg = "must not be empty"
        elif kind == "minimum":
            msg = f"must be at least {err.validator_value} (got {err.instance})"
        elif kind == "maximum":
            msg = f"must be at most {err.validator_value} (got {err.instance})"
        elif kind == "pattern":
            msg = f"must be lower-case letters, digits and dashes (got {err.instance!r})"
        elif kind == "anyOf":
            msg = "must be a line of text or a mapping {say: ..., interrupted: true|false, silence_s: N}"
        else:
            msg = err.message
        out.append(ValidationIssue(path, line_of(lines, at), dotted(at) or None, msg))
    return out


_FORMATTER = string.Formatter()


def _placeholders(text: str) -> tuple[list[str], str | None]:
    try:
        names = [field for _, field, _, _ in _FORMATTER.parse(text) if field is not None]
    except ValueError as exc:
        return [], str(exc)
    return names, None


def _semantic_issues(data: dict, lines: Lines, path: str | None) -> list[ValidationIssue]:
    out: list[ValidationIssue] = []

    def add(at: tuple, msg: str) -> None:
        out.append(ValidationIssue(path, line_of(lines, at), dotted(at), msg))

    end = data.get("end") if isinstance(data.get("end"), dict) else {}
    resolved = end.get("resolved") if isinstance(end.get("resolved"), dict) else {}
    escalated = end.get("escalated") if isinstance(end.get("escalated"), dict) else {}
    r_max, e_anger = resolved.get("max_anger"), escalated.get("anger")
    if isinstance(r_max, (int, float)) and isinstance(e_anger, (int, float)) and r_max >= e_anger:
        add(("end", "resolved", "max_anger"), f"must be below end.escalated.anger ({e_anger})")
    mood = data.get("mood") if isinstance(data.get("mood"), dict) else {}
    start = mood.get("anger")
    if isinstance(start, (int, float)) and isinstance(e_anger, (int, float)) and start >= e_anger:
        add(("mood", "anger"), f"the call would start escalated: must be below end.escalated.anger ({e_anger})")

    variants = data.get("variants") if isinstance(data.get("variants"), dict) else {}
    default = data.get("default_lang")
    if default in ("en", "fi") and variants and default not in variants:
        add(("default_lang",), f"no variant for '{default}' (variants: {', '.join(map(str, variants))})")
    for lang, var in variants.items():
        if not isinstance(var, dict):
            continue
        base = ("variants", lang)
        facts = var.get("facts") if isinstance(var.get("facts"), dict) else {}
        custom = var.get("intents") if isinstance(var.get("intents"), dict) else {}
        for name, patterns in custom.items():
            for i, pat in enumerate(patterns if isinstance(patterns, list) else []):
                if isinstance(pat, str):
                    try:
                        re.compile(pat)
                    except re.error as exc:
                        add(base + ("intents", name, i), f"not a valid regular expression: {exc}")
        answers = var.get("answers") if isinstance(var.get("answers"), dict) else {}
        for name in answers:
            if name not in BUILTIN_INTENTS and name not in custom:
                known = sorted(set(BUILTIN_INTENTS) | set(custom))
                hint = difflib.get_close_matches(name, known, n=1)
                more = f" (did you mean '{hint[0]}'?)" if hint else ""
                add(base + ("answers", name), f"unknown intent '{name}'{more}; add it under intents: with patterns")
        texts: list[tuple[tuple, str]] = []
        for i, line in enumerate(var.get("opening") or [] if isinstance(var.get("opening"), list) else []):
            texts.append((base + ("opening", i), line))
        for group in ("lines", "answers"):
            block = var.get(group) if isinstance(var.get(group), dict) else {}
            for key, items in block.items():
                for i, line in enumerate(items if isinstance(items, list) else []):
                    texts.append((base + (group, key, i), line))
        for at, line in texts:
            if not isinstance(line, str):
                continue
            names, problem = _placeholders(line)
            if problem:
                add(at, f"bad placeholder: {problem} (write {{{{ and }}}} for literal braces)")
            for name in names:
                if name not in facts:
                    add(at, f"placeholder {{{name}}} is not a fact of this variant "
                            f"(facts: {', '.join(sorted(facts)) or 'none'})")
    return out


def validate(data: Any, lines: Lines, path: str | None) -> list[ValidationIssue]:
    """All problems of one parsed scenario file, sorted by line."""
    if not isinstance(data, dict):
        return [ValidationIssue(path, 1, None, f"a scenario must be a mapping, not {_type_of(data)}")]
    issues = _schema_issues(data, lines, path) + _semantic_issues(data, lines, path)
    issues.sort(key=lambda i: (i.line or 0, i.key or ""))
    return issues
