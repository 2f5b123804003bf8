"""Summary CSV: one row per call (score, key metrics, each rubric item), failures at the end."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Iterable, Sequence

from coach.types import Scorecard

METRIC_COLUMNS = ("duration_s", "talk_ratio", "agent_word_share", "longest_monologue_s",
                  "longest_customer_story_s", "longest_silence_s", "interruptions", "agent_questions",
                  "agent_wpm")


def _fmt(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, float):
        return f"{v:.3f}".rstrip("0").rstrip(".")
    return str(v)


def csv_text(cards: Sequence[Scorecard], failures: Iterable[tuple[str, str]] = ()) -> str:
    """CSV with a header. Item columns hold 1 (passed), 0 (failed) or empty (not applicable)."""
    item_ids: list[str] = []
    for c in cards:
        for it in c.items:
            if it.item_id not in item_ids:
                item_ids.append(it.item_id)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["input", "status", "agent", "date", "rubric", "lang", "score", "critical_failures",
                *METRIC_COLUMNS, *(f"item:{i}" for i in item_ids), "error"])
    for c in cards:
        m = c.metrics
        by_id = {it.item_id: it for it in c.items}
        items = []
        for i in item_ids:
            it = by_id.get(i)
            items.append("" if it is None or not it.applicable else _fmt(it.passed))
        w.writerow([c.meta.get("input", ""), "ok", c.meta.get("agent") or "", c.meta.get("date", ""),
                    f"{c.rubric_id}@{c.rubric_version}", c.lang, _fmt(round(float(c.score), 1)),
                    ";".join(c.critical_failures),
                    *(_fmt(getattr(m, k, None)) if m else "" for k in METRIC_COLUMNS), *items, ""])
    for path, err in failures:
        w.writerow([path, "error", "", "", "", "", "", "", *([""] * len(METRIC_COLUMNS)),
                    *([""] * len(item_ids)), err])
    return buf.getvalue()


def write_csv(cards: Scorecard | Sequence[Scorecard], path: str | Path,
              failures: Iterable[tuple[str, str]] = ()) -> Path | None:
    from coach.report.files import atomic_write_text

    if isinstance(cards, Scorecard):
        cards = [cards]
    return atomic_write_text(path, csv_text(list(cards), failures))
