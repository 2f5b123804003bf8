"""One-file HTML report of a scorecard for trainers (Jinja2 template, autoescaped).

Top: score, verdict and the rubric checklist with evidence and feedback. Then a timeline of
who spoke when (matplotlib SVG) with evidence markers and long silences, the talk-ratio chart,
key metrics, and the transcript with evidence highlighted; clicking an utterance (or the
timeline) plays the audio from there. Everything is inline; the audio is embedded as a
compressed data: URI or linked (see ``audio_embed``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from coach.types import Scorecard

TEMPLATES = Path(__file__).with_name("templates")

LABELS = {
    "en": {"agent": "Agent", "customer": "Customer"},
    "fi": {"agent": "Asiakaspalvelija", "customer": "Asiakas"},
}


def _env():
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)),
                             autoescape=jinja2.select_autoescape(["html", "j2"], default=True),
                             trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    env.filters["mmss"] = mmss
    return env


def mmss(t: Any) -> str:
    if t is None:
        return ""
    t = max(0.0, float(t))
    return f"{int(t // 60)}:{int(t % 60):02d}"


def split_marks(text: str, marks: list[tuple[int, int, str, bool, str]]) -> list[dict]:
    """Cut a turn's text into plain and highlighted pieces (overlaps: first mark wins)."""
    pieces, pos = [], 0
    for a, b, item, bad, why in sorted(marks, key=lambda m: (m[0], -m[1])):
        a, b = max(a, pos), min(b, len(text))
        if b <= a:
            continue
        if a > pos:
            pieces.append({"text": text[pos:a], "item": None, "bad": False, "why": ""})
        pieces.append({"text": text[a:b], "item": item, "bad": bad, "why": why})
        pos = b
    if pos < len(text):
        pieces.append({"text": text[pos:], "item": None, "bad": False, "why": ""})
    return pieces


def _verdict(card: Scorecard, t: dict[str, str]) -> tuple[str, str]:
    if card.critical_failures:
        return "fail", t["v_fail"]
    if card.score >= 80:
        return "good", t["v_good"]
    if card.score >= 60:
        return "ok", t["v_ok"]
    return "poor", t["v_poor"]


def _metric_tiles(card: Scorecard, t: dict[str, str]) -> list[dict]:
    m = card.metrics
    if m is None:
        return []
    tiles = []

    def add(label, value, fmt, hint="", warn=False):
        if value is None:
            return
        tiles.append({"label": label, "value": fmt.format(value), "hint": hint, "warn": warn})

    add(t["m_talk"], m.talk_ratio * 100 if m.talk_ratio is not None else None, "{:.0f}%",
        t["m_talk_h"], warn=bool(m.talk_ratio and m.talk_ratio > 0.65))
    if m.talk_ratio is None:
        add(t["m_words"], m.agent_word_share * 100 if m.agent_word_share is not None else None,
            "{:.0f}%", t["m_words_h"])
    add(t["m_mono"], m.longest_monologue_s, "{:.0f} s", t["m_mono_h"])
    add(t["m_story"], m.longest_customer_story_s, "{:.0f} s", t["m_story_h"])
    add(t["m_silence"], m.longest_silence_s, "{:.1f} s", "", warn=bool(m.longest_silence_s and m.longest_silence_s > 10))
    add(t["m_int"], m.interruptions, "{}", t["m_int_h"], warn=bool(m.interruptions and m.interruptions > 1))
    add(t["m_pat"], m.patience_mean_s, "{:.1f} s", t["m_pat_h"])
    add(t["m_inter"], m.interactivity_per_min, "{:.1f}/min", t["m_inter_h"])
    add(t["m_q"], m.agent_questions, "{}")
    add(t["m_pace"], m.agent_wpm, "{:.0f} wpm")
    return tiles


def build_context(card: Scorecard, html_path: str | os.PathLike, audio: str | os.PathLike | None = None,
                  max_embed_mb: float | None = None) -> dict[str, Any]:
    from coach import __version__
    from coach.report import charts

    from coach.report.i18n import ui

    labels = LABELS.get(card.lang, LABELS["en"])
    words = ui(card.lang)
    items = {it.item_id: it for it in card.items}
    tr = card.transcript
    marks: dict[int, list] = {}
    for f in card.findings:
        it = items.get(f.item_id)
        marks.setdefault(f.turn_index, []).append(
            (f.span[0], f.span[1], f.item_id, bool(it and it.bad), f.why or (it.title if it else f.item_id)))
    turns = []
    for i, t in enumerate(tr.turns if tr else ()):
        ev = marks.get(i, [])
        turns.append({"index": i, "speaker": t.speaker, "label": labels.get(t.speaker, t.speaker),
                      "text": t.text, "start": t.start, "end": t.end,
                      "pieces": split_marks(t.text, ev),
                      "items": sorted({m[2] for m in ev})})
    checklist = []
    for it in card.items:
        state = "na" if not it.applicable else ("pass" if it.passed else "fail")
        checklist.append({"id": it.item_id, "title": it.title, "state": state, "bad": it.bad,
                          "critical": it.critical, "weight": it.weight, "count": it.count,
                          "min_count": it.min_count, "feedback": it.feedback,
                          "evidence": [{"turn": f.turn_index, "text": f.text, "start": f.start, "why": f.why}
                                       for f in it.findings][:4]})
    tl = charts.timeline_svg(card, labels, words)
    audio_src = None
    if audio is not None and Path(audio).is_file():
        from coach.report.audio_embed import MAX_EMBED_MB, audio_source

        audio_src = audio_source(audio, html_path, max_embed_mb or MAX_EMBED_MB)
    verdict_class, verdict = _verdict(card, words)
    meta = dict(card.meta)
    return {
        "card": card, "meta": meta, "labels": labels, "turns": turns, "checklist": checklist,
        "score": round(float(card.score)), "verdict": verdict, "verdict_class": verdict_class,
        "passed": sum(1 for c in checklist if c["state"] == "pass"),
        "countable": sum(1 for c in checklist if c["state"] != "na"),
        "missed": [c for c in checklist if c["state"] == "fail"],
        "timeline_svg": tl[0] if tl else None, "duration": tl[1] if tl else None,
        "timeline_x": charts.TIMELINE_X,
        "talk_svg": charts.talk_ratio_svg(card, labels, words),
        "tiles": _metric_tiles(card, words), "ui": words,
        "notes": list(card.metrics.notes if card.metrics else ()) + list(meta.get("notes", ())),
        "audio": audio_src, "coach_version": meta.get("coach_version", __version__),
        "title": f"{Path(str(meta.get('input', 'call'))).name} – {card.rubric_id}",
        "css": (TEMPLATES / "report.css").read_text(encoding="utf-8"),
        "js": (TEMPLATES / "report.js").read_text(encoding="utf-8"),
    }


def render_html(card: Scorecard, html_path: str | os.PathLike = "report.html",
                audio: str | os.PathLike | None = None, max_embed_mb: float | None = None) -> str:
    return _env().get_template("report.html.j2").render(**build_context(card, html_path, audio, max_embed_mb))


def write_html(card: Scorecard, path: str | os.PathLike, audio: str | os.PathLike | None = None,
               max_embed_mb: float | None = None) -> Path:
    from coach.report.files import atomic_write_text

    return atomic_write_text(path, render_html(card, path, audio, max_embed_mb))
