"""The customer persona: a deterministic dialogue policy around a scenario.

``Persona(scenario, seed)`` keeps its own ``random.Random(seed)``; nothing here reads the clock
or global randomness, so the same seed and the same agent turns give the same replies.

Per agent turn, :meth:`Persona.respond` reduces the turn to signals (rubric findings + the
persona's own intents + live events), updates the mood, decides whether the call ends, and picks
a line: the end line, answers to the agent's questions, a reaction to what the agent did, or a
varied fallback (never the same line twice in a row).
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from coach.errors import CoachError
from coach.persona.intents import IntentMatcher
from coach.persona.mood import Mood, Signals, apply, outcome_after
from coach.persona.scenario import Scenario

# rubric item id -> persona behaviour
RUBRIC_ITEMS = {"acknowledgement": "acknowledgement", "empathy": "acknowledgement", "apology": "apology",
                "next_step": "next_step", "discouraged": "discouraged", "thanks": "thanks",
                "greeting": "greeting", "closing": "closing"}
# which reaction line answers a turn, strongest first
REACTION_PRIORITY = ("calm_down", "non_apology", "discouraged", "interrupted", "silence", "next_step",
                     "heard", "acknowledgement", "apology", "thanks")
NEGATIVE = ("calm_down", "non_apology", "discouraged", "interrupted")


@dataclass(frozen=True)
class Events:
    """Live signals about the agent's turn."""

    interrupted: bool = False  # the agent started while the customer was speaking
    silence_s: float = 0.0  # silence before the agent spoke


@dataclass(frozen=True)
class Reply:
    text: str
    mood: Mood
    outcome: str | None = None  # resolved | escalated | hung_up, None while the call goes on
    reason: str = ""
    behaviours: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    delta: float = 0.0
    turn: int = 0
    scripted: str | None = None  # with an LLM: the scripted line (``text`` is what is said)
    llm: str | None = None  # with an LLM: "model" or why the scripted line was kept

    @property
    def ended(self) -> bool:
        return self.outcome is not None


class _Facts(dict):
    def __missing__(self, key: str) -> str:  # validated away; never crash on a stray brace
        return "{" + key + "}"


def _capital(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] if text[:1].islower() else text


def _events(events: Any) -> Events:
    if events is None:
        return Events()
    if isinstance(events, Events):
        return events
    if isinstance(events, Mapping):
        return Events(bool(events.get("interrupted", False)), float(events.get("silence_s", 0.0) or 0.0))
    return Events(bool(getattr(events, "interrupted", False)), float(getattr(events, "silence_s", 0.0) or 0.0))


def _item_ids(findings: Iterable[Any]) -> set[str]:
    out = set()
    for f in findings:
        item = f.get("item_id") if isinstance(f, Mapping) else getattr(f, "item_id", None)
        if item in RUBRIC_ITEMS:
            out.add(RUBRIC_ITEMS[item])
    return out


class Persona:
    """A simulated customer for one call."""

    def __init__(self, scenario: Scenario, seed: int = 0, rubric: Any = None, llm: Any = None):
        """``llm``: None, a model directory (loads a :class:`coach.persona.llm.Phraser`) or an
        object with ``rephrase(line, scenario, mood, agent_text)``; it only rewords the chosen line
        (and can take up to its timeout, 1.5 s)."""
        self.scenario = scenario
        if llm is not None and not hasattr(llm, "rephrase"):
            from coach.persona.llm import Phraser

            llm = Phraser(llm).load()
        self.phraser = llm
        self.seed = seed
        self._rng = random.Random(seed)
        self._rubric = rubric
        self._matcher = IntentMatcher(scenario.lang, scenario.intents)
        self._facts = _Facts(scenario.facts)
        self.mood = Mood(anger=scenario.start_anger, progress=scenario.start_progress)
        self.outcome: str | None = None
        self.turns = 0
        self._counts: dict[str, int] = {}
        self._answered: set[str] = set()
        self._streak = 0
        self._opening: str | None = None
        self._opening_raw: list[str] = []
        self._last: set[str] = set()  # raw lines used in the previous reply
        self._used: dict[str, set[str]] = {}

    def fork(self) -> "Persona":
        """An independent copy (same state, same future replies) for speculative replies: the
        scenario, intent matcher and rubric are shared, the mutable state is copied."""
        clone = copy.copy(self)
        clone._rng = random.Random()
        clone._rng.setstate(self._rng.getstate())
        clone._counts = dict(self._counts)
        clone._answered = set(self._answered)
        clone._last = set(self._last)
        clone._used = {k: set(v) for k, v in self._used.items()}
        clone._opening_raw = list(self._opening_raw)
        return clone

    # -- lines -------------------------------------------------------------------------------
    def _pick(self, key: str, chosen: list[str]) -> str | None:
        lines = self.scenario.lines.get(key) if key != "opening" else self.scenario.opening
        if not lines:
            return None
        fresh = [ln for ln in lines if ln not in self._last and ln not in chosen] or \
                [ln for ln in lines if ln not in chosen] or list(lines)
        used = self._used.setdefault(key, set())
        unused = [ln for ln in fresh if ln not in used]
        if not unused:
            used.clear()
            unused = fresh
        line = unused[self._rng.randrange(len(unused))]
        used.add(line)
        chosen.append(line)
        return line.format_map(self._facts)

    def _answer(self, intent: str, chosen: list[str]) -> str | None:
        lines = self.scenario.answers.get(intent)
        if lines:
            fresh = [ln for ln in lines if ln not in self._last] or list(lines)
            line = fresh[self._rng.randrange(len(fresh))]
            chosen.append(line)
            return line.format_map(self._facts)
        if intent in self.scenario.facts:
            return self.scenario.facts[intent].rstrip(".") + "."
        return None

    # -- turn analysis -----------------------------------------------------------------------
    def _findings(self, text: str) -> list[Any]:
        if self._rubric is None:
            try:
                from coach.rubric import load_rubric
            except ImportError as exc:  # the rubric engine is part of coach; this is a broken install
                raise CoachError(f"the rubric engine is not available ({exc}); pass findings to respond()") from None
            self._rubric = load_rubric("complaint-handling")
        from coach.rubric import match_text

        return list(match_text(text, self._rubric, self.scenario.lang))

    def opening(self) -> str:
        """The customer's first line (the problem), said after the agent's greeting."""
        if self._opening is None:
            chosen: list[str] = []
            self._opening = self._pick("opening", chosen) or ""
            self._opening_raw = chosen
            self._answered.add("issue")
            if self.turns == 0:
                self._last = set(chosen)
        return self._opening

    def respond(self, agent_text: str, findings: Iterable[Any] | None = None, events: Any = None) -> Reply:
        """The customer's reply to one agent turn. ``findings``: the rubric's findings for the turn
        (None: computed with the rubric); ``events``: :class:`Events`, a mapping or None."""
        if self.outcome is not None:
            return Reply("", self.mood, self.outcome, "the call has ended", turn=self.turns)
        ev = _events(events)
        if findings is None:
            findings = self._findings(agent_text)
        behaviours = _item_ids(findings) | self._matcher.behaviours(agent_text)
        if ev.interrupted:
            behaviours.add("interrupted")
        silence = self.scenario.reactions.get("silence")
        if silence is not None and ev.silence_s >= (silence.after_s if silence.after_s is not None else 5.0):
            behaviours.add("silence")
        first = self._opening is None
        questions = tuple(q for q in self._matcher.facts_asked(agent_text) if not (first and q == "issue"))
        repeats = tuple(q for q in questions if q in self._answered)
        signals = Signals(frozenset(behaviours), questions, repeats, opening_turn=first)
        self.mood, delta, self._counts = apply(self.mood, signals, self.scenario.reactions, self._counts)
        self.turns += 1
        rules = self.scenario.end
        self._streak = self._streak + 1 if self.mood.anger >= rules.hung_up_anger else 0
        chosen: list[str] = []
        parts: list[str] = []
        reason: list[str] = []
        if first:
            outcome = None
            if "greeting" not in behaviours:
                parts.append(self._pick("no_greeting", chosen) or "")
                reason.append("no greeting")
            parts += [self._answer(q, chosen) or "" for q in questions[:2]]
            parts.append(self.opening())
            chosen.extend(self._opening_raw)
            reason.append("opening")
        else:
            outcome = outcome_after(self.mood, rules, self._streak, self.turns)
            if outcome is not None:
                parts.append(self._pick(outcome, chosen) or "")
                reason.append(outcome)
            else:
                parts, reason = self._reaction(behaviours, questions, repeats, chosen)
        self.outcome = outcome
        self._answered.update(questions)
        self._last = set(chosen)
        text = " ".join(_capital(p) for p in parts if p).strip()
        scripted = llm = None
        if self.phraser is not None and text:
            said = self.phraser.rephrase(text, self.scenario, self.mood, agent_text)
            scripted, llm, text = text, said.reason, said.text
        return Reply(text=text, mood=self.mood, outcome=outcome, reason="; ".join(r for r in reason if r),
                     behaviours=tuple(sorted(behaviours)), questions=questions, delta=delta, turn=self.turns,
                     scripted=scripted, llm=llm)

    def _reaction(self, behaviours: set[str], questions: tuple[str, ...], repeats: tuple[str, ...],
                  chosen: list[str]) -> tuple[list[str], list[str]]:
        lines = self.scenario.lines
        present = set(behaviours)
        if "acknowledgement" in present and "apology" in present:
            present.add("heard")
        key = next((k for k in REACTION_PRIORITY if k in present and lines.get(k)), None)
        parts: list[str] = []
        reason: list[str] = []
        if questions:
            if key in NEGATIVE:
                parts.append(self._pick(key, chosen) or "")
                reason.append(key)
            if repeats:
                parts.append(self._pick("repeat_question", chosen) or "")
            for q in questions[:2]:
                ans = self._answer(q, chosen)
                if ans is None:
                    ans = self._pick("unknown_question", chosen) or self._pick("fallback", chosen)
                parts.append(ans or "")
            reason.append("answered " + ", ".join(questions[:2]))
            return parts, reason
        if "goodbye" in behaviours and lines.get("goodbye_early"):
            return [self._pick("goodbye_early", chosen) or ""], ["goodbye before resolution"]
        if key is not None:
            return [self._pick(key, chosen) or ""], [key]
        calm = self.mood.anger < 5 and lines.get("fallback_calm")
        return [self._pick("fallback_calm" if calm else "fallback", chosen) or ""], ["fallback"]
