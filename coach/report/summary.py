"""Batch summary HTML (per-agent averages, item pass rates, worst calls first, failures) and the
agent progress page (scores per item over time). Jinja2 templates, matplotlib SVG charts."""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path
from typing import Sequence

from coach.types import Scorecard


def _rel(target: str | None, page: str | os.PathLike) -> str | None:
    if not target:
        return None
    from urllib.parse import quote

    return quote(os.path.relpath(Path(target).resolve(), Path(page).resolve().parent).replace(os.sep, "/"))


def item_pass_rates(cards: Sequence[Scorecard]) -> list[tuple[str, str, float, int]]:
    """(item id, title, pass rate 0-1, applicable calls) in first-seen order."""
    stats: dict[str, list] = {}
    for c in cards:
        for it in c.items:
            s = stats.setdefault(it.item_id, [it.title, 0, 0])
            if it.applicable:
                s[1] += int(it.passed)
                s[2] += 1
    return [(k, v[0], v[1] / v[2] if v[2] else 0.0, v[2]) for k, v in stats.items()]


def summary_context(results, page: str | os.PathLike, title: str = "Batch summary") -> dict:
    """``results``: objects with .input .ok .error .card .json_out .html_out (batch.Outcome)."""
    from coach import __version__
    from coach.report import charts

    ok = [r for r in results if r.ok and r.card is not None]
    failed = [r for r in results if not r.ok]
    cards = [r.card for r in ok]
    agents = defaultdict(list)
    for c in cards:
        agents[c.meta.get("agent") or "(unknown)"].append(float(c.score))
    per_agent = [{"agent": a, "calls": len(s), "avg": sum(s) / len(s), "min": min(s), "max": max(s)}
                 for a, s in sorted(agents.items())]
    rates = item_pass_rates(cards)
    calls = []
    for r in sorted(ok, key=lambda r: (r.card.score, r.input)):
        c = r.card
        calls.append({"input": r.input, "agent": c.meta.get("agent") or "", "date": c.meta.get("date", ""),
                      "score": float(c.score), "critical": list(c.critical_failures),
                      "missed": [it.title for it in c.items if it.applicable and not it.passed],
                      "talk": c.metrics.talk_ratio if c.metrics else None,
                      "report": _rel(r.html_out, page), "json": _rel(r.json_out, page),
                      "skipped": getattr(r, "skipped", False)})
    avg = sum(float(c.score) for c in cards) / len(cards) if cards else None
    return {"title": title, "coach_version": __version__, "calls": calls, "failed": failed,
            "per_agent": per_agent, "rates": rates, "avg": avg, "n_ok": len(ok), "n_failed": len(failed),
            "rubrics": sorted({f"{c.rubric_id} v{c.rubric_version}" for c in cards}),
            "rates_svg": charts.item_rates_svg([(t, r) for _, t, r, n in rates if n]),
            "css": (Path(__file__).with_name("templates") / "report.css").read_text(encoding="utf-8")}


def render_summary(results, page: str | os.PathLike, title: str = "Batch summary") -> str:
    from coach.report.html import _env

    return _env().get_template("summary.html.j2").render(**summary_context(results, page, title))


def write_summary_html(results, path: str | os.PathLike, title: str = "Batch summary") -> Path:
    from coach.report.files import atomic_write_text

    return atomic_write_text(path, render_summary(results, path, title))


def write_progress_html(agent: str, series: dict[str, list[tuple[str, float]]], rows, path,
                        titles: dict[str, str] | None = None) -> Path:
    """The ``coach progress`` page: a chart of the score and each item's pass rate per date."""
    from coach import __version__
    from coach.report import charts
    from coach.report.files import atomic_write_text
    from coach.report.html import _env

    titles = titles or {}
    named = {("score" if k == "score" else titles.get(k, k)): v for k, v in series.items()}
    html = _env().get_template("progress.html.j2").render(
        agent=agent, svg=charts.progress_svg(named, f"Agent {agent}: score and item pass rate per day"),
        rows=rows, series=named, coach_version=__version__,
        css=(Path(__file__).with_name("templates") / "report.css").read_text(encoding="utf-8"))
    return atomic_write_text(path, html)
