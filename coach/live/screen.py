"""What the trainee sees during a call: a rich live screen, or plain lines (``--no-screen``).

Both views take the loop's events (``event(ev)``) and a periodic snapshot (``tick(state)``);
neither touches audio or models. :class:`ScreenState` is a plain snapshot built by the session.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any, TextIO

MONOLOGUE_NUDGE_S = 60.0


@dataclass
class ScreenState:
    elapsed_s: float = 0.0
    mood: Any = None
    talk_ratio: float | None = None
    monologue_s: float = 0.0
    items: list[tuple[str, str]] = field(default_factory=list)  # (id, title)
    hits: dict[str, int] = field(default_factory=dict)
    partial: str = ""
    tentative: str = ""
    cutoffs: int = 0
    barge_ins: int = 0
    scenario: str = ""


def mood_text(mood: Any) -> str:
    if mood is None:
        return "-"
    if isinstance(mood, dict) and "label" in mood:
        anger = mood.get("anger")
        return f"{mood['label']} (anger {anger:.1f})" if isinstance(anger, (int, float)) else str(mood["label"])
    if isinstance(mood, dict):
        parts = [f"{k} {v}" for k, v in mood.items() if isinstance(v, (int, float, str))]
        return ", ".join(parts[:3]) or "-"
    return str(mood)


def _mmss(t: float) -> str:
    t = max(0, int(t))
    return f"{t // 60:02d}:{t % 60:02d}"


class PlainView:
    """One line per final utterance and per notable event."""

    def __init__(self, out: TextIO | None = None):
        self.out = out or sys.stdout
        self._nudged = False

    def _p(self, line: str) -> None:
        print(line, file=self.out, flush=True)

    def event(self, ev: dict) -> None:
        k, t = ev.get("type"), _mmss(ev.get("t", 0))
        if k == "turn":
            who = "Agent   " if ev["speaker"] == "agent" else "Customer"
            cut = " [interrupted]" if ev.get("interrupted") else ""
            self._p(f"[{t}] {who}: {ev['text']}{cut}")
        elif k == "findings":
            ids = sorted({getattr(f, "item_id", None) or (f.get("item_id") if isinstance(f, dict) else str(f))
                          for f in ev.get("items", [])})
            self._p(f"[{t}]   rubric: {', '.join(ids)}")
        elif k == "reply_chosen" and ev.get("mood") is not None:
            self._p(f"[{t}]   mood: {mood_text(ev['mood'])}" +
                    (f"  outcome: {ev['outcome']}" if ev.get("outcome") else ""))
        elif k == "cutoff":
            self._p(f"[{t}]   (the customer started while you were still talking)")
        elif k == "session_end":
            self._p(f"[{t}] call ended ({ev.get('reason')})")
        elif k == "error":
            self._p(f"[{t}]   error in {ev.get('where')}: {ev.get('message')}")

    def tick(self, state: ScreenState) -> None:
        if state.monologue_s >= MONOLOGUE_NUDGE_S and not self._nudged:
            self._nudged = True
            self._p(f"[{_mmss(state.elapsed_s)}]   nudge: you have been talking for "
                    f"{int(state.monologue_s)} s - let the customer speak")
        elif state.monologue_s < 1:
            self._nudged = False

    def close(self, footer: str = "") -> None:
        if footer:
            self._p(footer)


class RichView:
    """rich.Live screen: transcript with partials, mood, rubric checklist, talk ratio,
    current monologue (nudge after 60 s), elapsed time."""

    def __init__(self, console=None, max_lines: int = 14):
        from rich.console import Console
        from rich.live import Live

        self.console = console or Console()
        self.lines: list[tuple[str, str]] = []
        self.max_lines = max_lines
        self.state = ScreenState()
        self.live = Live(self._render(), console=self.console, refresh_per_second=8,
                         transient=False)
        self.live.start()

    def event(self, ev: dict) -> None:
        if ev.get("type") == "turn":
            style = "bold cyan" if ev["speaker"] == "agent" else "bold magenta"
            who = "You" if ev["speaker"] == "agent" else "Customer"
            cut = " …[interrupted]" if ev.get("interrupted") else ""
            self.lines.append((style, f"{who}: {ev['text']}{cut}"))
            self.lines = self.lines[-self.max_lines:]
        elif ev.get("type") == "cutoff":
            self.lines.append(("yellow", "(customer started while you were talking)"))

    def tick(self, state: ScreenState) -> None:
        self.state = state
        self.live.update(self._render())

    def _render(self):
        from rich.console import Group
        from rich.panel import Panel
        from rich.table import Table
        from rich.text import Text

        s = self.state
        talk = Text()
        for style, line in self.lines:
            talk.append(line + "\n", style=style)
        if s.partial or s.tentative:
            talk.append("You: " + s.partial, style="cyan")
            talk.append((" " if s.partial else "") + s.tentative + " …", style="dim cyan")
        side = Table.grid(padding=(0, 1))
        side.add_row("elapsed", _mmss(s.elapsed_s))
        side.add_row("mood", mood_text(s.mood))
        ratio = "-" if s.talk_ratio is None else f"{s.talk_ratio * 100:.0f} % you"
        side.add_row("talk", ratio)
        mono = f"{s.monologue_s:.0f} s"
        if s.monologue_s >= MONOLOGUE_NUDGE_S:
            mono = f"[bold red]{mono} - let the customer speak[/]"
        side.add_row("monologue", mono)
        side.add_row("cut-offs", str(s.cutoffs))
        check = Table.grid(padding=(0, 1))
        for iid, title in s.items:
            mark = "[green]✔[/]" if s.hits.get(iid) else "[dim]·[/]"
            check.add_row(mark, str(title))
        grid = Table.grid(expand=True)
        grid.add_column(ratio=3)
        grid.add_column(ratio=2)
        grid.add_row(Panel(talk, title=f"call {s.scenario}"),
                     Group(Panel(side, title="now"), Panel(check, title="checklist")))
        return grid

    def close(self, footer: str = "") -> None:
        self.live.update(self._render())
        self.live.stop()
        if footer:
            self.console.print(footer)


__all__ = ["PlainView", "RichView", "ScreenState", "MONOLOGUE_NUDGE_S", "mood_text"]
