"""Charts for the reports, drawn by matplotlib (Agg) and inlined as SVG text.

Each function returns an SVG string sized to its container's width. The timeline keeps its plot
area at a fixed horizontal position (``TIMELINE_X``) so the page can map a click to a time.
"""

from __future__ import annotations

import io
import re
from typing import Sequence

from coach.types import Scorecard

AGENT_COLOR = "#2563eb"
CUSTOMER_COLOR = "#f59e0b"
SILENCE_COLOR = "#94a3b8"
GOOD_COLOR = "#16a34a"
BAD_COLOR = "#dc2626"
TIMELINE_X = (0.125, 0.985)  # left/right of the plot area, as a fraction of the figure width


def _plt():
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    plt.rcParams.update({"svg.fonttype": "none", "font.family": "DejaVu Sans", "font.size": 9,
                         "axes.edgecolor": "#cbd5e1", "axes.labelcolor": "#334155",
                         "xtick.color": "#475569", "ytick.color": "#475569"})
    return plt


def _svg(fig, salt: str) -> str:
    plt = _plt()
    plt.rcParams["svg.hashsalt"] = salt
    buf = io.StringIO()
    fig.savefig(buf, format="svg", transparent=True)
    plt.close(fig)
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r'<svg([^>]*?) width="[^"]+" height="[^"]+"', r'<svg\1 width="100%"', svg, count=1)
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    return svg


def _mmss(t: float, _pos=None) -> str:
    t = max(0.0, t)
    return f"{int(t // 60)}:{int(t % 60):02d}"


def speech_spans(card: Scorecard) -> dict[str, list[tuple[float, float]]]:
    """Who spoke when: VAD intervals when known, else timed turns."""
    tr = card.transcript
    out: dict[str, list[tuple[float, float]]] = {"agent": [], "customer": []}
    if tr is None:
        return out
    if tr.intervals:
        for spk in out:
            out[spk] = [(iv.start, iv.end) for iv in tr.intervals.get(spk, ())]
        if any(out.values()):
            return out
    for t in tr.turns:
        if t.timed and t.speaker in out:
            out[t.speaker].append((t.start, t.end))
    return out


def call_duration(card: Scorecard) -> float | None:
    spans = speech_spans(card)
    ends = [e for v in spans.values() for _, e in v]
    cands = [x for x in (card.transcript.duration if card.transcript else None,
                         card.metrics.duration_s if card.metrics else None) if x]
    if ends:
        cands.append(max(ends))
    return max(cands) if cands else None


def timeline_svg(card: Scorecard, labels: dict[str, str] | None = None,
                 words: dict[str, str] | None = None) -> tuple[str, float] | None:
    """Two-row timeline (agent, customer) with silences shaded and rubric evidence marked.

    Returns (svg, duration) or None when the call has no times.
    """
    spans = speech_spans(card)
    duration = call_duration(card)
    if not duration or not any(spans.values()):
        return None
    labels = labels or {"agent": "Agent", "customer": "Customer"}
    plt = _plt()
    fig = plt.figure(figsize=(10, 2.0))
    ax = fig.add_axes((TIMELINE_X[0], 0.17, TIMELINE_X[1] - TIMELINE_X[0], 0.75))
    rows = {"agent": 1.0, "customer": 0.0}
    colors = {"agent": AGENT_COLOR, "customer": CUSTOMER_COLOR}
    m = card.metrics
    for s in (m.long_silences if m else ()):
        ax.axvspan(s.start, s.end, color=SILENCE_COLOR, alpha=0.25, lw=0)
        ax.text((s.start + s.end) / 2, 0.5, (words or {}).get("silence_s", "{s:.0f}s silence").format(s=s.duration), ha="center", va="center",
                fontsize=7, color="#475569")
    for spk, y in rows.items():
        bars = [(a, max(b - a, 0.05)) for a, b in spans[spk]]
        ax.broken_barh(bars, (y - 0.3, 0.6), facecolors=colors[spk], alpha=0.9)
    for t in (m.interruption_times if m else ()):
        ax.plot([t], [0.5], marker="x", color=BAD_COLOR, ms=7, mew=2)
    items = {it.item_id: it for it in card.items}
    for f in card.findings:
        if f.start is None:
            continue
        it = items.get(f.item_id)
        bad = bool(it and it.bad)
        y = rows.get(f.speaker, 1.0) + 0.45
        ax.plot([f.start], [y], marker="v", ms=7, color=BAD_COLOR if bad else GOOD_COLOR,
                markeredgecolor="white", mew=0.6, clip_on=False)
    ax.set_xlim(0, duration)
    ax.set_ylim(-0.5, 1.6)
    ax.set_yticks([1, 0], [labels["agent"], labels["customer"]])
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(nbins=12, steps=[1, 2, 3, 5, 6, 10]))
    ax.xaxis.set_major_formatter(FuncFormatter(_mmss))
    ax.grid(axis="x", color="#e2e8f0", lw=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="y", length=0)
    return _svg(fig, "timeline"), float(duration)


def talk_ratio_svg(card: Scorecard, labels: dict[str, str] | None = None,
                   words: dict[str, str] | None = None) -> str | None:
    """Agent vs customer share (talk time, else words) against the reference points."""
    m = card.metrics
    if m is None:
        return None
    labels = labels or {"agent": "Agent", "customer": "Customer"}
    from coach.report.i18n import ui

    w = {**ui("en"), **(words or {})}
    if m.talk_ratio is not None:
        ratio, what = m.talk_ratio, "share_time"
    elif m.agent_word_share is not None:
        ratio, what = m.agent_word_share, "share_words"
    else:
        return None
    plt = _plt()
    fig = plt.figure(figsize=(5.2, 1.55))
    ax = fig.add_axes((0.03, 0.42, 0.94, 0.3))
    ax.barh([0], [ratio * 100], color=AGENT_COLOR, height=0.8)
    ax.barh([0], [100 - ratio * 100], left=[ratio * 100], color=CUSTOMER_COLOR, height=0.8)
    ax.text(ratio * 50, 0, f"{labels['agent']} {ratio:.0%}", ha="center", va="center", color="white",
            fontsize=9, fontweight="bold")
    ax.text(ratio * 100 + (100 - ratio * 100) / 2, 0, f"{labels['customer']} {1 - ratio:.0%}",
            ha="center", va="center", color="#1f2937", fontsize=9, fontweight="bold")
    ax.axvspan(65, 75, ymin=0, ymax=1, color="none", hatch="////", ec="#ffffff", lw=0, alpha=0.6)
    ax.axvline(43, color="#0f172a", lw=1.5, ls="--")
    ax.text(43, 0.62, w["best"], ha="center", va="bottom", fontsize=7.5, color="#0f172a")
    ax.text(70, -0.62, w["typical"], ha="center", va="top", fontsize=7.5, color="#475569")
    ax.set_xlim(0, 100)
    ax.set_ylim(-0.5, 0.5)
    ax.axis("off")
    fig.text(0.03, 0.9, w[what], fontsize=9, color="#334155")
    return _svg(fig, "talk")


def item_rates_svg(rates: Sequence[tuple[str, float]], title: str = "") -> str | None:
    """Horizontal bars: pass rate per rubric item (0-1)."""
    if not rates:
        return None
    plt = _plt()
    h = 0.35 * len(rates) + 0.6
    fig, ax = plt.subplots(figsize=(6, h))
    names = [r[0] for r in rates][::-1]
    vals = [r[1] * 100 for r in rates][::-1]
    cols = [GOOD_COLOR if v >= 80 else "#eab308" if v >= 50 else BAD_COLOR for v in vals]
    ax.barh(names, vals, color=cols)
    for y, v in enumerate(vals):
        ax.text(min(v + 1, 92), y, f"{v:.0f}%", va="center", fontsize=8)
    ax.set_xlim(0, 100)
    ax.set_title(title, fontsize=9, loc="left")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    return _svg(fig, "rates")


def progress_svg(series: dict[str, list[tuple[str, float]]], title: str = "") -> str | None:
    """Score per date (line) above a heatmap of each item's pass rate per date (0-100).
    ``series``: name -> [(date, value)], with ``score`` the overall score."""
    if not series:
        return None
    plt = _plt()
    import numpy as np

    dates = sorted({d for pts in series.values() for d, _ in pts})
    items = [k for k in series if k != "score"]
    h_heat = 0.32 * max(1, len(items))
    fig, (ax, hm) = plt.subplots(2, 1, figsize=(9, 2.6 + h_heat), sharex=True,
                                 gridspec_kw={"height_ratios": [2.4, h_heat]})
    pts = dict(series.get("score", []))
    xs = [i for i, d in enumerate(dates) if d in pts]
    ax.plot(xs, [pts[dates[i]] for i in xs], marker="o", lw=2.4, color=AGENT_COLOR)
    for x in xs:
        ax.annotate(f"{pts[dates[x]]:.0f}", (x, pts[dates[x]]), textcoords="offset points", xytext=(0, 7),
                    ha="center", fontsize=8, color="#0f172a")
    ax.set_ylim(-5, 112)
    ax.set_ylabel("score")
    ax.grid(color="#e2e8f0", lw=0.6)
    ax.set_title(title, fontsize=10, loc="left")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    grid = np.full((len(items), len(dates)), np.nan)
    for r, name in enumerate(items):
        for d, v in series[name]:
            grid[r, dates.index(d)] = v
    hm.imshow(np.ma.masked_invalid(grid), aspect="auto", cmap="RdYlGn", vmin=0, vmax=100,
              interpolation="nearest")
    for r in range(len(items)):
        for c in range(len(dates)):
            if not np.isnan(grid[r, c]):
                v = grid[r, c]
                hm.text(c, r, f"{v:.0f}%", ha="center", va="center", fontsize=7.5,
                        color="white" if v >= 75 or v <= 25 else "#0f172a")
    hm.set_yticks(range(len(items)), items, fontsize=8)
    hm.set_xticks(range(len(dates)), dates, rotation=30, ha="right", fontsize=8)
    hm.tick_params(length=0)
    for side in hm.spines.values():
        side.set_visible(False)
    fig.tight_layout()
    return _svg(fig, "progress")
