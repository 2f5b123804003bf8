"""Scorecard <-> JSON (schema ``coach.scorecard/1``, documented in docs/scorecard.md).

The JSON is a plain rendering of :class:`coach.types.Scorecard` with evidence named for
readers (``evidence`` instead of ``findings``, ``turn`` instead of ``turn_index``) and a
``passed`` flag per item, so a QA tool does not need to know the dataclasses.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from coach.errors import InputError
from coach.types import (Finding, Interval, ItemResult, Metrics, Scorecard, Silence, Transcript,
                         Turn, to_dict)

SCHEMA_ID = "coach.scorecard/1"
SCHEMA_FILE = Path(__file__).resolve().parents[2] / "docs" / "scorecard.schema.json"  # in the source tree


def _r(x: float | None, nd: int = 3) -> float | None:
    return None if x is None else round(float(x), nd)


def finding_dict(f: Finding) -> dict[str, Any]:
    return {"turn": f.turn_index, "speaker": f.speaker, "text": f.text, "span": list(f.span),
            "start": _r(f.start), "end": _r(f.end), "why": f.why}


def item_dict(it: ItemResult) -> dict[str, Any]:
    return {"id": it.item_id, "title": it.title, "hit": it.hit, "passed": it.passed,
            "applicable": it.applicable, "bad": it.bad, "count": it.count, "min_count": it.min_count,
            "weight": it.weight, "critical": it.critical, "feedback": it.feedback,
            "evidence": [finding_dict(f) for f in it.findings]}


def transcript_dict(tr: Transcript) -> dict[str, Any]:
    out: dict[str, Any] = {
        "lang": tr.lang, "source": tr.source, "duration": _r(tr.duration),
        "turns": [{"speaker": t.speaker, "text": t.text, "start": _r(t.start), "end": _r(t.end)}
                  for t in tr.turns],
    }
    if tr.intervals is not None:
        out["intervals"] = {k: [[_r(iv.start), _r(iv.end)] for iv in v] for k, v in tr.intervals.items()}
    return out


def scorecard_dict(card: Scorecard) -> dict[str, Any]:
    return {
        "schema": SCHEMA_ID,
        "score": round(float(card.score), 1),
        "rubric": {"id": card.rubric_id, "version": str(card.rubric_version)},
        "lang": card.lang,
        "items": [item_dict(it) for it in card.items],
        "critical_failures": list(card.critical_failures),
        "metrics": to_dict(card.metrics) if card.metrics is not None else None,
        "transcript": transcript_dict(card.transcript) if card.transcript is not None else None,
        "meta": to_dict(dict(card.meta)),
    }


def dumps(card: Scorecard) -> str:
    return json.dumps(scorecard_dict(card), ensure_ascii=False, indent=2) + "\n"


def write_json(card: Scorecard, path: str | Path) -> Path | None:
    """Write the scorecard JSON atomically; ``-`` prints it to stdout."""
    from coach.report.files import atomic_write_text

    return atomic_write_text(path, dumps(card))


# ------------------------------------------------------------------ reading back

def _metrics_from(d: dict | None) -> Metrics | None:
    if d is None:
        return None
    known = {f for f in Metrics.__dataclass_fields__}
    kw = {k: v for k, v in d.items() if k in known}
    kw["long_silences"] = tuple(Silence(s["start"], s["end"]) for s in d.get("long_silences") or ())
    kw["interruption_times"] = tuple(d.get("interruption_times") or ())
    kw["notes"] = tuple(d.get("notes") or ())
    return Metrics(**kw)


def scorecard_from_dict(d: dict, path: str | Path | None = None) -> Scorecard:
    """Rebuild a Scorecard from its JSON (used by batch summaries and the history store)."""
    try:
        if d.get("schema") != SCHEMA_ID:
            raise InputError(f"not a coach scorecard (schema {d.get('schema')!r})", path)
        items = tuple(
            ItemResult(item_id=i["id"], title=i["title"], hit=i["hit"], applicable=i["applicable"],
                       bad=i["bad"], count=i["count"], min_count=i["min_count"], weight=i["weight"],
                       critical=i["critical"], feedback=i.get("feedback"),
                       findings=tuple(Finding(item_id=i["id"], turn_index=f["turn"], span=tuple(f["span"]),
                                              text=f["text"], why=f.get("why", ""), start=f.get("start"),
                                              end=f.get("end"), speaker=f.get("speaker", "agent"))
                                      for f in i.get("evidence", ())))
            for i in d["items"])
        tr = None
        if d.get("transcript"):
            t = d["transcript"]
            iv = t.get("intervals")
            tr = Transcript(turns=tuple(Turn(x["speaker"], x["text"], x.get("start"), x.get("end"))
                                        for x in t["turns"]),
                            lang=t.get("lang", "en"), source=t.get("source"), duration=t.get("duration"),
                            intervals=None if iv is None else
                            {k: tuple(Interval(a, b) for a, b in v) for k, v in iv.items()})
        return Scorecard(rubric_id=d["rubric"]["id"], rubric_version=d["rubric"]["version"],
                         lang=d["lang"], score=d["score"], items=items,
                         critical_failures=tuple(d.get("critical_failures") or ()),
                         metrics=_metrics_from(d.get("metrics")), transcript=tr, meta=d.get("meta") or {})
    except (KeyError, TypeError, AttributeError) as exc:
        raise InputError(f"malformed scorecard JSON ({type(exc).__name__}: {exc})", path) from None


def read_json(path: str | Path) -> Scorecard:
    p = Path(path)
    try:
        return scorecard_from_dict(json.loads(p.read_text(encoding="utf-8")), p)
    except json.JSONDecodeError as exc:
        raise InputError(f"bad JSON: {exc.msg} at line {exc.lineno}", p) from None


def validate(d: dict) -> None:
    """Validate a scorecard dict against the JSON Schema file (raises jsonschema.ValidationError)."""
    import jsonschema

    jsonschema.validate(d, json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))
