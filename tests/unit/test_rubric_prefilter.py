"""The token prefilter (coach.rubric.prefilter) must never change a result, only skip work."""

from __future__ import annotations

import re

import pytest

from coach.rubric import load_rubric, match_text, prefilter
from coach.rubric.evaluate import read_rows

SETS = ["rubric_dev.jsonl", "rubric_paraphrases.jsonl", "rubric_probe_discouraged.jsonl"]


def _findings(rub, rows):
    return [[(f.item_id, f.span, f.text, f.why) for f in match_text(r.text, rub, r.lang)] for r in rows]


@pytest.mark.parametrize("name", ["complaint-handling", "positive-interaction"])
def test_results_identical_with_and_without_prefilter(data_dir, name, monkeypatch):
    rub = load_rubric(name)
    rows = [r for f in SETS for r in read_rows(data_dir / f)]
    monkeypatch.setattr(prefilter, "ENABLED", False)
    plain = _findings(rub, rows)
    monkeypatch.setattr(prefilter, "ENABLED", True)
    fast = _findings(rub, rows)
    assert sum(map(len, plain)) > 300  # the sets do produce findings
    assert fast == plain


def test_prefilter_skips_work_on_neutral_text():
    rub = load_rubric("complaint-handling")
    pats = rub.compiled("en").checks["acknowledgement"].pats
    assert pats.dispatch is not None
    text = "the parcel left the depot on monday"
    assert pats.dispatch.any(pats.regex, text, 0, len(text)) is False
    text = "i completely understand"
    assert pats.dispatch.any(pats.regex, text, 0, len(text)) is True


def test_first_word_anchors():
    assert prefilter.anchors(r"(?:(?:i|we) )?do not know") == (frozenset({"know"}), frozenset())
    assert prefilter.anchors(r"frustrat\w*")[1] == frozenset({"frus"})
    assert prefilter.anchors(r"\w+") is None


@pytest.mark.parametrize("rx", [r"a|b(?:c|d)e|(?:x|y)z", r"(?:no|not a) (?:idea|clue)|who knows", r"[|(]x|\(y|z"])
def test_expanded_alternatives_are_equivalent(rx):
    alts = prefilter.expand_alternatives(rx)
    joined = re.compile("|".join(f"(?:{a})" for a in alts))
    full = re.compile(rx)
    for text in ["a", "bce", "bde", "xz", "yz", "no idea", "not a clue", "who knows", "|x", "(x", "(y", "z", "q"]:
        assert bool(joined.fullmatch(text)) == bool(full.fullmatch(text)), text


def test_warm_compiles_the_lazy_regexes_and_keeps_results():
    rub = load_rubric("positive-interaction")
    text = "Thanks for calling, I understand how frustrating that is."
    before = [(f.item_id, f.span) for f in match_text(text, rub, "en")]
    prefilter.warm(rub.compiled("en"))
    assert prefilter.warm(rub.compiled("en")) == 0  # nothing left to compile
    pats = load_rubric("complaint-handling").compiled("en").checks["acknowledgement"].pats
    prefilter.warm(pats)
    assert all(m is not None for m, fk in zip(pats.dispatch._match, pats.dispatch.first) if fk is not None)
    assert [(f.item_id, f.span) for f in match_text(text, rub, "en")] == before


def test_anchors_look_past_optional_words_but_only_at_word_starts():
    # the rarest mandatory word, past plain groups, optional words and a trailing boundary
    rx = r"(?:(?:(?:i)(?: (?:really|honestly))? )do not (?:(?:really|actually) )?know)(?![^\W_])"
    assert prefilter.anchors(rx) == (frozenset({"know"}), frozenset())
    assert prefilter.anchors(r"(?:i am) (?:honestly |really )?unsure") == (frozenset({"unsure"}), frozenset())
    # "know" does not start a word when the optional part is absent ("abknow"): not an anchor
    assert "know" not in prefilter.anchors(r"ab(?:c )?know")[0]


def test_gates_skip_checks_without_their_words_and_keep_results():
    from coach.rubric.gate import gates, may_match

    comp = load_rubric("complaint-handling").compiled("en")
    apology = comp.checks["apology"]
    gs = gates(apology)
    assert gs and "sorry" in gs[0]
    neutral = prefilter.doc_keys("the parcel left the depot on monday").set
    assert not may_match(gs, neutral)
    assert may_match(gs, prefilter.doc_keys("i am so sorry about that").set)
    # an all_of check (commitment + time) has one gate per part: both must be met
    assert len(gates(comp.checks["next_step"])) >= 1
    assert [f.item_id for f in match_text("I'm so sorry about that.", "complaint-handling")] == ["apology"]


def test_doc_keys_from_words_equal_keys_from_text():
    from coach.rubric.normalize import normalize

    for text in ["Um, I'll call you at 8.30 tomorrow", "Soitan teille huomenna klo 10.", "ok  then"]:
        doc = normalize(text, "fi" if "Soitan" in text else "en")
        primed = dict(prefilter.doc_keys(doc.text))
        prefilter.doc_keys.cache_clear()
        assert dict(prefilter.doc_keys(doc.text)) == primed


def test_rubric_warm_leaves_nothing_lazy():
    from coach.rubric import warm

    rub = load_rubric("positive-interaction")
    warm(rub, "fi")
    comp = rub.compiled("fi")
    assert prefilter.warm(comp) == 0  # every dispatch regex compiled already
    assert comp.per_speaker.get(("gated", "agent")) is not None  # gates derived


def test_an_alternative_is_tried_only_when_every_word_set_it_needs_is_met():
    from coach.rubric.patterns import CompileContext

    ps = CompileContext("en").compile(["i am (?:so )?sorry for (?:the|this) delay", "sorry for", "sorry for the delay"], ("p",))
    d = ps.dispatch
    assert ps.spans("i am so sorry for the wait") == [(8, 17)]  # (also builds the masks)
    keys = prefilter.doc_keys("i am so sorry for the wait").set
    assert d._candidates(keys) == (1,)  # "delay" is missing: the first and third are no candidates
    assert d._candidates(prefilter.doc_keys("sorry for the delay").set) == (1, 2)  # no "am"
    assert d._candidates(prefilter.doc_keys("the parcel left on monday").set) == ()
    for text in ["i am so sorry for the wait", "i am sorry for the delay and sorry for the delay",
                 "sorry for the delay", "so sorry sorry for", "the parcel left on monday"]:
        want = [m.span() for m in ps.regex.finditer(text)]  # leftmost match, first alternative in order
        assert ps.spans(text) == want, text
        assert ps.any(text) == bool(want)
