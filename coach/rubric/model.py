"""A loaded rubric: validated items plus their checks compiled once per language."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coach.errors import InputError, ValidationError, ValidationIssue
from coach.paths import builtin_dir
from coach.rubric.patterns import CompileContext
from coach.rubric.schema import ItemModel, RubricModel, issue, load_yaml, validate_model


@dataclass
class CompiledRubric:
    lang: str
    checks: dict[str, Any]  # item id -> check object (find(doc) or evaluate(metrics))
    na_customer: dict[str, Any]  # item id -> PatternSet (N/A unless a customer turn matches)
    per_speaker: dict[str, list] = field(default_factory=dict)  # speaker -> [(item id, check)] utterance-level

    def __post_init__(self) -> None:
        self.per_speaker = {}

    def utterance_checks(self, speaker: str, items) -> list:
        got = self.per_speaker.get(speaker)
        if got is None:
            got = [(it.id, self.checks[it.id]) for it in items
                   if it.speaker in (speaker, "any") and it.id in self.checks
                   and getattr(self.checks[it.id], "level", "utterance") == "utterance"]
            self.per_speaker[speaker] = got
        return got

    def gated_checks(self, speaker: str, items) -> list:
        """``utterance_checks`` with each check's gates (coach.rubric.gate): [(id, check, gates)]."""
        got = self.per_speaker.get(("gated", speaker))
        if got is None:
            from coach.rubric.gate import gates

            got = [(i, c, gates(c)) for i, c in self.utterance_checks(speaker, items)]
            self.per_speaker[("gated", speaker)] = got
        return got


@dataclass
class Rubric:
    model: RubricModel
    path: str | None = None
    lines: dict = field(default_factory=dict, repr=False)
    _compiled: dict = field(default_factory=dict, repr=False)

    @property
    def id(self) -> str:
        return self.model.id

    @property
    def version(self) -> str:
        return str(self.model.version)

    @property
    def languages(self) -> list[str]:
        return list(self.model.languages)

    @property
    def items(self) -> list[ItemModel]:
        return list(self.model.items)

    def item(self, item_id: str) -> ItemModel:
        for it in self.model.items:
            if it.id == item_id:
                return it
        raise KeyError(item_id)

    def title(self, lang: str = "en") -> str:
        return text_for(self.model.title, lang) or self.id

    def lang_for(self, lang: str | None) -> str:
        if lang in self.model.languages:
            return lang  # type: ignore[return-value]
        return self.model.languages[0]

    def compiled(self, lang: str) -> CompiledRubric:
        lang = self.lang_for(lang)
        comp = self._compiled.get(lang)
        if comp is None:
            comp, issues = self._compile(lang)
            if issues:
                raise ValidationError(issues, self.path)
            self._compiled[lang] = comp
        return comp

    def _compile(self, lang: str) -> tuple[CompiledRubric, list[ValidationIssue]]:
        from coach.rubric.checks import build_sub

        ctx = CompileContext(lang=lang, vocab=self.model.vocab)
        checks, na = {}, {}
        for i, it in enumerate(self.model.items):
            chk = build_sub(it.check, ctx, ("items", i, "check"))
            if chk is not None:
                checks[it.id] = chk
            if it.not_applicable_if and it.not_applicable_if.customer_never_says:
                na[it.id] = ctx.compile(it.not_applicable_if.customer_never_says,
                                        ("items", i, "not_applicable_if", "customer_never_says"))
        fname = self.path or f"<{self.id}>"
        issues = [issue(fname, self.lines, p.loc, p.message) for p in ctx.issues]
        return CompiledRubric(lang, checks, na), issues


def text_for(value: Any, lang: str) -> str | None:
    """A plain string, or the entry for ``lang`` of a per-language mapping (falls back to en)."""
    if value is None or isinstance(value, str):
        return value
    return value.get(lang) or value.get("any") or value.get("en") or next(iter(value.values()), None)


def builtin_names() -> list[str]:
    d = builtin_dir("rubrics")
    return sorted(p.stem for p in d.glob("*.yaml")) if d.is_dir() else []


def resolve(name_or_path: str | os.PathLike) -> Path:
    p = Path(name_or_path)
    if p.suffix in (".yaml", ".yml") or p.exists():
        if not p.is_file():
            raise InputError("no such rubric file", p)
        return p
    cand = builtin_dir("rubrics") / f"{name_or_path}.yaml"
    if cand.is_file():
        return cand
    raise InputError(f"unknown rubric {str(name_or_path)!r} (built-in: {', '.join(builtin_names()) or 'none'})")


_CACHE: dict[tuple[str, float], Rubric] = {}


def load_rubric(name_or_path: str | os.PathLike | Rubric) -> Rubric:
    """Load a built-in rubric by name or a YAML file; every problem is raised at once."""
    if isinstance(name_or_path, Rubric):
        return name_or_path
    path = resolve(name_or_path)
    key = (str(path.resolve()), path.stat().st_mtime)
    if key in _CACHE:
        return _CACHE[key]
    rub = validate_file(path)
    _CACHE[key] = rub
    return rub


def validate_file(path: str | os.PathLike, text: str | None = None) -> Rubric:
    """Validate structure, then compile every language (bad regexes, vocabularies, kinds).

    All problems are collected and raised together, sorted by line.
    """
    fname = str(path)
    data, lines, issues = load_yaml(path, text)
    if data is None and issues:
        raise ValidationError(issues, fname)
    model, more = validate_model(data, lines, fname)
    issues += more
    if model is not None:
        rub = Rubric(model, fname, lines)
        for lang in model.languages:
            comp, more = rub._compile(lang)
            issues += more
            rub._compiled[lang] = comp
    elif isinstance(data, dict):
        issues += _compile_raw(data, lines, fname)
    if issues:
        raise ValidationError(_dedupe(issues), fname)
    return rub


def _compile_raw(data: dict, lines: dict, fname: str) -> list[ValidationIssue]:
    """Compile the checks of a structurally invalid rubric too, so every error shows at once."""
    from coach.rubric.checks import build_sub
    from coach.types import LANGS

    langs = [lg for lg in data.get("languages") or [] if lg in LANGS] if isinstance(data.get("languages"), list) else []
    vocab = data.get("vocab") if isinstance(data.get("vocab"), dict) else {}
    items = data.get("items") if isinstance(data.get("items"), list) else []
    out = []
    for lang in langs or ["en"]:
        ctx = CompileContext(lang=lang, vocab=vocab)
        for i, it in enumerate(items):
            if isinstance(it, dict) and isinstance(it.get("check"), dict):
                try:
                    build_sub(it["check"], ctx, ("items", i, "check"))
                except Exception:  # noqa: BLE001 - structure already reported
                    pass
        out += [issue(fname, lines, p.loc, p.message) for p in ctx.issues]
    return out


def _dedupe(issues: list[ValidationIssue]) -> list[ValidationIssue]:
    seen, out = set(), []
    for i in issues:
        k = str(i)
        if k not in seen:
            seen.add(k)
            out.append(i)
    return sorted(out, key=lambda i: (i.line or 0))
