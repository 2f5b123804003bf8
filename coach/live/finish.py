"""End of a session: the transcript from the recorded events, the scorecard and the reports.

Works on a finished folder and on one left by a crash (events are read tolerantly), so the same
code serves ``run_live`` at the end of a call and anyone re-scoring a folder.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable

from coach.atomic import atomic_write_text
from coach.types import Interval, Transcript, Turn, to_dict


def transcript_from_events(events: Iterable[dict], lang: str = "en",
                           source: str | None = None) -> Transcript:
    """Final agent and customer turns (customer = what was actually played) with speech
    intervals: the agent's from the live VAD, the customer's from playback."""
    turns: list[tuple[float, Turn]] = []
    agent_iv: list[Interval] = []
    cust_iv: list[Interval] = []
    meta: dict[str, Any] = {}
    last_t = 0.0
    for ev in events:
        kind = ev.get("type")
        last_t = max(last_t, float(ev.get("t") or 0.0))
        if kind == "session_start":
            meta.update({k: ev[k] for k in ("scenario", "seed", "model", "lang") if k in ev})
        elif kind == "turn" and (ev.get("text") or "").strip():
            turns.append((float(ev["start"]), Turn(ev["speaker"], ev["text"].strip(),
                                                   float(ev["start"]), float(ev["end"]))))
            if ev["speaker"] == "customer" and ev["end"] > ev["start"]:
                cust_iv.append(Interval(float(ev["start"]), float(ev["end"])))
        elif kind == "speech" and ev.get("speaker") == "agent":
            agent_iv.append(Interval(float(ev["start"]), float(ev["end"])))
        elif kind == "session_end":
            meta["end_reason"] = ev.get("reason")
            for k in ("cutoffs", "barge_ins", "overflows", "outcome"):
                if k in ev:
                    meta[k] = ev[k]
    turns.sort(key=lambda x: x[0])
    return Transcript(tuple(t for _, t in turns), lang=lang, source=source, duration=last_t or None,
                      intervals={"agent": tuple(agent_iv), "customer": tuple(cust_iv)},
                      meta={"format": "practice-session", **meta})


def score_session(transcript: Transcript, rubric) -> Any:
    """Scorecard via the rubric and metrics engines."""
    from coach.metrics import compute

    metrics = compute(transcript)
    return rubric.score(transcript, metrics)


def write_reports(folder: Path, card, extra: dict | None = None) -> tuple[Path, Path | None]:
    """``scorecard.json`` and ``report.html`` (assess's writers); the HTML is best effort."""
    folder = Path(folder)
    from coach.report import write_html, write_json

    if extra:
        from dataclasses import replace

        card = replace(card, meta={**dict(card.meta), "practice": extra})
    json_path = folder / "scorecard.json"
    write_json(card, json_path)
    html_path = folder / "report.html"
    try:
        write_html(card, html_path, audio=folder / "session.wav")
    except Exception as exc:  # noqa: BLE001 - the JSON is the record; say why HTML is missing
        _atomic_text(folder / "report.error.txt", f"report.html could not be written: {exc}\n")
        return json_path, None
    return json_path, html_path


def _atomic_text(path: Path, text: str) -> None:
    atomic_write_text(path, text)


def write_json_atomic(path: Path, data: Any) -> None:
    _atomic_text(Path(path), json.dumps(to_dict(data), indent=2, ensure_ascii=False) + "\n")


__all__ = ["transcript_from_events", "score_session", "write_reports", "write_json_atomic"]
