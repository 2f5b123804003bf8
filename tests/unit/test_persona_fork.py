"""Persona.fork() for speculative live replies, and PersonaAdapter.fork() using it.

A fork must (a) reply exactly like the original for the same agent turns, and (b) leave the
original untouched when it replies: mood, random state, used lines, counters. The read-only
parts (scenario, intent matcher) are shared, not copied.
"""

from __future__ import annotations

import copy

import pytest

from coach.live.engines import PersonaAdapter, _fork
from coach.persona import Persona, load_scenario
from coach.persona.scenario import builtin_ids
from coach.types import Finding


def F(*items: str) -> list[Finding]:
    return [Finding(item, 0, (0, 1), "x") for item in items]


# agent turns: (text, rubric findings, live events). Mild enough that every built-in call is
# still going after 8 turns; the fillers make the persona draw lines with its rng and fill its
# used-line sets
TURNS = [
    ("Hello, this is Anna. How can I help?", F("greeting"), None),
    ("hmm", [], None),
    ("I understand, and I'm sorry.", F("acknowledgement", "apology"), None),
    ("What's your order number?", [], None),
    ("okay", [], None),
    ("I see.", F("acknowledgement"), {"silence_s": 7.0}),
    ("right", [], None),
    ("What's your name?", [], None),
    ("So sorry about that.", F("apology"), {"interrupted": True}),
    ("hmm", [], None),
    ("okay", [], None),
    ("What's your order number?", [], None),
    ("I'll send a replacement tomorrow.", F("next_step"), None),
    ("Thanks for waiting.", F("thanks"), None),
]
SCENARIOS = [(sid, lang) for sid in builtin_ids() for lang in ("en", "fi")]
# everything a reply may change; fork() must copy these
MUTABLE = ("mood", "outcome", "turns", "_counts", "_answered", "_streak", "_opening",
           "_opening_raw", "_last", "_used")
SHARED = ("scenario", "seed", "phraser", "_rubric", "_matcher", "_facts")


def state(p: Persona) -> dict:
    snap = {name: copy.deepcopy(getattr(p, name)) for name in MUTABLE}
    snap["rng"] = p._rng.getstate()
    return snap


def play(p: Persona, turns) -> list:
    return [p.respond(text, findings, events) for text, findings, events in turns]


def test_all_instance_attributes_are_classified():
    p = Persona(load_scenario("late-delivery", "en"), seed=0)
    assert set(vars(p)) == set(MUTABLE) | set(SHARED) | {"_rng"}


@pytest.mark.parametrize("sid,lang", SCENARIOS)
@pytest.mark.parametrize("at", [0, 1, 4])
def test_fork_replies_like_the_original(sid, lang, at):
    p = Persona(load_scenario(sid, lang), seed=3)
    play(p, TURNS[:at])
    f = p.fork()
    assert play(f, TURNS[at:]) == play(p, TURNS[at:])
    assert state(f) == state(p)


@pytest.mark.parametrize("sid,lang", SCENARIOS)
@pytest.mark.parametrize("at", [0, 1, 4])
def test_replying_on_a_fork_leaves_the_original_untouched(sid, lang, at):
    scenario = load_scenario(sid, lang)
    p, twin = Persona(scenario, seed=5), Persona(scenario, seed=5)
    play(p, TURNS[:at])
    play(twin, TURNS[:at])
    before = state(p)
    f = p.fork()
    assert p.outcome is None
    play(f, TURNS[at:][::-1])  # a different future on the fork
    assert f.turns > p.turns + 1
    assert state(p) == before
    # and the original goes on exactly like a persona that was never forked
    assert play(p, TURNS[at:]) == play(twin, TURNS[at:])


def test_fork_shares_read_only_parts_and_copies_the_rest():
    p = Persona(load_scenario("broken-product", "en"), seed=1)
    play(p, TURNS[:5])
    f = p.fork()
    for name in ("scenario", "_matcher", "_facts"):
        assert getattr(f, name) is getattr(p, name)
    for name in ("_rng", "_counts", "_answered", "_opening_raw", "_last", "_used"):
        assert getattr(f, name) is not getattr(p, name), name
    assert p._used and all(f._used[k] is not v for k, v in p._used.items())


def test_adapter_fork_uses_the_personas_own_fork():
    scenario = load_scenario("late-delivery", "en")
    a = PersonaAdapter(Persona(scenario, seed=2), scenario)
    first = a.reply(*TURNS[0][:2], {})
    b = a.fork()
    assert b.opened and b.persona is not a.persona
    assert b.persona._matcher is a.persona._matcher  # Persona.fork shares; _fork deep-copied it
    assert b.reply("hmm", [], {}).text == a.fork().reply("hmm", [], {}).text
    assert a.persona.turns == 1 and first.text


class StandIn:  # a persona object without fork(): the adapter falls back to _fork
    def __init__(self, scenario):
        self.scenario = scenario
        self.heard: list[str] = []

    def respond(self, text, findings, events):
        self.heard.append(text)
        return f"reply {len(self.heard)}"


def test_adapter_fork_falls_back_to_a_generic_copy():
    scenario = load_scenario("late-delivery", "en")
    a = PersonaAdapter(StandIn(scenario), scenario)
    a.reply("one", [], {})
    b = a.fork()
    assert b.reply("two", [], {}).text == "reply 2"
    assert a.persona.heard == ["one"] and b.persona.heard == ["one", "two"]
    assert b.persona.scenario is scenario
    assert _fork(a.persona).heard is not a.persona.heard
