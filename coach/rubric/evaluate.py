"""Measure a rubric against labelled utterances: precision, recall, F1, support per item.

DATA is JSON lines ``{"text", "lang", "labels": [item ids]}``; each line is one agent turn. Only
items in the label vocabulary are scored: the four core items of complaint-handling, plus any
item id that appears in some line's labels and exists in the rubric.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from coach.errors import InputError
from coach.rubric.engine import labels as predict
from coach.rubric.model import Rubric

CORE_ITEMS = ("acknowledgement", "apology", "next_step", "discouraged")


@dataclass
class Row:
    text: str
    lang: str
    labels: frozenset[str]
    line: int


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def as_dict(self) -> dict:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "support": self.tp + self.fn}


@dataclass
class EvalResult:
    items: list[str]
    overall: dict[str, Counts] = field(default_factory=dict)
    by_lang: dict[str, dict[str, Counts]] = field(default_factory=dict)
    misses: list[dict] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "items": {i: self.overall[i].as_dict() for i in self.items},
            "by_lang": {lang: {i: c[i].as_dict() for i in self.items} for lang, c in sorted(self.by_lang.items())},
        }


def read_rows(path: str | Path) -> list[Row]:
    rows = []
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read: {exc}", path) from None
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            text, lang, labels = obj["text"], obj.get("lang", "en"), obj.get("labels", [])
            if not isinstance(text, str) or not isinstance(lang, str) or not isinstance(labels, list) \
                    or not all(isinstance(x, str) for x in labels):
                raise TypeError("text and lang must be strings, labels a list of item ids")
            rows.append(Row(text, lang, frozenset(labels), n))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise InputError(f"line {n}: expected {{\"text\", \"lang\", \"labels\"}}: {exc}", path) from None
    if not rows:
        raise InputError("no labelled lines", path)
    return rows


def evaluate(rubric: Rubric, rows: list[Row]) -> EvalResult:
    ids = {it.id for it in rubric.items}
    vocab = set(CORE_ITEMS) | {lab for r in rows for lab in r.labels}
    items = [i for i in [it.id for it in rubric.items] if i in vocab and i in ids]
    res = EvalResult(items, {i: Counts() for i in items})
    for row in rows:
        lang = row.lang if row.lang in rubric.languages else rubric.languages[0]
        got = predict(row.text, rubric, lang) & set(items)
        per = res.by_lang.setdefault(row.lang, {i: Counts() for i in items})
        for i in items:
            want = i in row.labels
            has = i in got
            for c in (res.overall[i], per[i]):
                if want and has:
                    c.tp += 1
                elif has:
                    c.fp += 1
                elif want:
                    c.fn += 1
        if got != (row.labels & set(items)):
            res.misses.append({"line": row.line, "lang": row.lang, "text": row.text,
                               "expected": sorted(row.labels & set(items)), "got": sorted(got)})
    return res
