"""The live screen and the plain view render the loop's state and events (no audio, no models)."""

from __future__ import annotations

import io

from coach.live.screen import MONOLOGUE_NUDGE_S, PlainView, RichView, ScreenState, mood_text


def _state(**kw):
    base = dict(elapsed_s=75.0, mood={"anger": 4.5, "progress": 1, "label": "annoyed"},
                talk_ratio=0.62, monologue_s=12.0,
                items=[("greeting", "Greeting"), ("apology", "Apology"), ("next_step", "Next step")],
                hits={"greeting": 1, "next_step": 2}, partial="I will book", tentative="your delivery",
                cutoffs=1, scenario="late-delivery")
    base.update(kw)
    return ScreenState(**base)


def test_rich_screen_shows_transcript_partials_mood_checklist_ratio():
    from rich.console import Console

    console = Console(file=io.StringIO(), width=120, record=True, force_terminal=False)
    view = RichView(console)
    view.event({"type": "turn", "speaker": "agent", "text": "Good morning, this is Anna."})
    view.event({"type": "turn", "speaker": "customer", "text": "My sofa never came!", "interrupted": True})
    view.tick(_state())
    view.close("session saved in /tmp/x; report: /tmp/x/report.html")
    text = console.export_text()
    assert "Good morning, this is Anna." in text and "My sofa never came!" in text
    assert "[interrupted]" in text
    assert "I will book" in text and "your delivery" in text  # partial + tentative words
    assert "annoyed" in text and "62 % you" in text and "01:15" in text
    assert "✔ Greeting" in text.replace("  ", " ") and "· Apology" in text.replace("  ", " ")
    assert "report.html" in text


def test_rich_screen_nudges_after_a_minute_monologue():
    from rich.console import Console

    console = Console(file=io.StringIO(), width=120, record=True)
    view = RichView(console)
    view.tick(_state(monologue_s=MONOLOGUE_NUDGE_S + 5))
    view.close()
    assert "let the customer speak" in console.export_text()


def test_plain_view_lines_and_single_nudge():
    out = io.StringIO()
    v = PlainView(out)
    v.event({"type": "turn", "t": 3.2, "speaker": "agent", "text": "Hello"})
    v.event({"type": "findings", "t": 3.2, "items": [{"item_id": "greeting"}]})
    v.event({"type": "reply_chosen", "t": 3.2, "mood": {"anger": 7.0, "label": "angry"}, "outcome": None})
    v.event({"type": "cutoff", "t": 9.0})
    for _ in range(3):
        v.tick(_state(monologue_s=61))
    lines = out.getvalue().splitlines()
    assert lines[0] == "[00:03] Agent   : Hello"
    assert "rubric: greeting" in lines[1] and "angry" in lines[2]
    assert sum("nudge" in ln for ln in lines) == 1


def test_mood_text():
    assert mood_text(None) == "-"
    assert mood_text({"anger": 3.0, "label": "annoyed"}) == "annoyed (anger 3.0)"
    assert mood_text({"anger": 3.0}) == "anger 3.0"
