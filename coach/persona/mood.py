"""The customer's mood and how one agent turn changes it. Pure functions, no randomness.

A turn is reduced to *signals*: the behaviours seen (from rubric findings, the persona's own
intents and live events) and the fact questions asked. Each behaviour has a :class:`Reaction`
(anger change, progress change, decay for repetitions). The end of the call is decided from
the new mood by :func:`outcome_after`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

from coach.persona.scenario import EndRules, Reaction

# behaviours that count as "the agent did something" (otherwise the turn is neutral)
CONTENT = ("acknowledgement", "apology", "next_step", "thanks", "discouraged", "calm_down", "non_apology")
# the order in which mood reactions are applied (fixed, so the result never depends on set order)
ORDER = CONTENT + ("interrupted", "silence", "question", "repeat_question", "neutral")


@dataclass(frozen=True)
class Mood:
    anger: float  # 0 calm .. 10 furious
    progress: int = 0  # concrete next steps heard

    def label(self, lang: str = "en") -> str:
        names = {"en": ("calm", "annoyed", "angry", "furious"), "fi": ("rauhallinen", "ärtynyt", "vihainen", "raivoissaan")}
        calm, annoyed, angry, furious = names.get(lang, names["en"])
        a = self.anger
        return calm if a < 3 else annoyed if a < 6 else angry if a < 8.5 else furious


@dataclass(frozen=True)
class Signals:
    """What one agent turn did, as far as the customer's mood is concerned."""

    behaviours: frozenset[str] = frozenset()
    questions: tuple[str, ...] = ()
    repeats: tuple[str, ...] = ()  # questions already answered before
    opening_turn: bool = False


def effective(behaviours: Iterable[str], questions: bool, repeats: bool, opening_turn: bool = False) -> list[str]:
    """The reactions that apply, in :data:`ORDER`.

    "calm down" replaces the plain discouraged reaction, a non-apology replaces the apology;
    a turn with no content and no question is ``neutral`` (except the greeting turn).
    """
    b = set(behaviours)
    if "calm_down" in b:
        b.discard("discouraged")
    if "non_apology" in b:
        b.discard("apology")
    if questions:
        b.add("question")
    if repeats:
        b.add("repeat_question")
    if not opening_turn and not (b & set(CONTENT)) and not questions:
        b.add("neutral")
    return [name for name in ORDER if name in b]


def apply(mood: Mood, signals: Signals, reactions: Mapping[str, Reaction],
          counts: Mapping[str, int]) -> tuple[Mood, float, dict[str, int]]:
    """New mood, the anger change, and the updated repetition counts."""
    new_counts = dict(counts)
    delta = 0.0
    progress = mood.progress
    names = effective(signals.behaviours, bool(signals.questions), bool(signals.repeats), signals.opening_turn)
    for name in names:
        r = reactions.get(name)
        if r is None:
            continue
        n = new_counts.get(name, 0)
        delta += r.anger * (r.decay ** n)
        progress += r.progress
        new_counts[name] = n + 1
    anger = min(10.0, max(0.0, round(mood.anger + delta, 2)))
    return Mood(anger=anger, progress=progress), round(delta, 2), new_counts


def outcome_after(mood: Mood, rules: EndRules, furious_streak: int, turns: int) -> str | None:
    """resolved / escalated / hung_up, or None while the call goes on."""
    if mood.anger >= rules.escalated_anger:
        return "escalated"
    if furious_streak >= rules.hung_up_turns:
        return "hung_up"
    if mood.anger <= rules.resolved_max_anger and mood.progress >= rules.resolved_min_progress:
        return "resolved"
    if rules.max_turns is not None and turns >= rules.max_turns:
        return "hung_up"
    return None
