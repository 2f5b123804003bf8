"""score() and match_text(): evidence spans, times, windows, counts, N/A, metrics, weights."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.rubric import load_rubric, match_text, score, validate_file
from coach.rubric.normalize import fi_fold, count_words, normalize
from coach.types import Metrics, Transcript, Turn, Word


def call(*turns, lang="en"):
    return Transcript(tuple(Turn(s, t, *(times or (None, None))) for s, t, *times in turns), lang=lang)


def test_finding_spans_point_into_the_original_text():
    text = "Um, I'm SO sorry about the weight. I'll call you at two pm, OK?"
    found = {f.item_id: f for f in match_text(text, "complaint-handling", "en")}
    apo, nxt = found["apology"], found["next_step"]
    assert text[apo.span[0]:apo.span[1]] == apo.text == "sorry"
    assert nxt.text == "I'll call you at two pm" and text[nxt.span[0]:nxt.span[1]] == nxt.text
    assert "commitment" in nxt.why


def test_finnish_evidence_and_colloquial_forms():
    text = "öö mä pahottelen, en tiiä vielä mut mä selvitän ja soitan takas tänään"
    found = {f.item_id: f.text for f in match_text(text, "complaint-handling", "fi")}
    assert found["apology"] == "pahottelen"
    assert "soitan takas tänään" in found["next_step"]
    assert "discouraged" not in found  # D2: takes ownership


def test_score_weights_findings_times_and_feedback():
    rub = load_rubric("complaint-handling")
    words = (Word("I'm", 4.0, 4.2), Word("so", 4.2, 4.3), Word("sorry", 4.3, 4.8), Word("about", 4.8, 5.0),
             Word("that.", 5.0, 5.2))
    t = Transcript((
        Turn("agent", "Hello, this is Anna from Northwind.", 0.0, 2.0),
        Turn("customer", "My router has been dead for a week and I'm furious.", 2.0, 4.0),
        Turn("agent", "I'm so sorry about that.", 4.0, 5.2, words),
        Turn("agent", "That's not my department.", 5.5, 6.5),
        Turn("customer", "Unbelievable.", 6.5, 7.0),
    ), lang="en")
    sc = score(t, rub)
    assert sc.rubric_id == "complaint-handling" and sc.lang == "en"
    apo = sc.item("apology")
    assert apo.hit and apo.findings[0].turn_index == 2
    assert (apo.findings[0].start, apo.findings[0].end) == (4.3, 4.8)  # word times
    dis = sc.item("discouraged")
    assert dis.hit and dis.bad and not dis.passed and dis.feedback
    assert dis.findings[0].start == 5.5  # turn times when there are no words
    nxt = sc.item("next_step")
    assert not nxt.hit and nxt.feedback.startswith("Say exactly") and nxt.critical
    assert sc.critical_failures == ("next_step",)
    assert sc.meta["passed"] is False  # a critical failure fails the call
    # customer turns are never scored for agent items
    assert all(f.speaker == "agent" for f in sc.findings)
    applicable = [i for i in sc.items if i.applicable]
    expected = 100 * sum(i.weight for i in applicable if i.passed) / sum(i.weight for i in applicable)
    assert sc.score == pytest.approx(round(expected, 1))
    assert 0 < sc.score < 100


def test_feedback_is_in_the_rubric_language():
    t = call(("agent", "Hei."), ("customer", "Paketti ei tullut."), ("agent", "Selvä."), lang="fi")
    sc = score(t, "complaint-handling")
    assert sc.lang == "fi"
    assert "Kerro tarkasti" in sc.item("next_step").feedback


RUBRIC = """\
id: windows
title: Windows
version: 2
languages: [en]
items:
  - id: greet
    window: {first: 1}
    weight: 1
    check: {kind: phrase.v1, phrases: ['hello', "don't panic"]}
  - id: bye
    window: {last: 1}
    weight: 1
    check: {kind: phrase.v1, phrases: [bye]}
  - id: thanks_twice
    min_count: 2
    weight: 1
    check: {kind: regex.v1, patterns: ['thanks?']}
  - id: empathy
    weight: 1
    not_applicable_if: {customer_never_says: ['angry|upset']}
    check: {kind: regex.v1, patterns: ['understand']}
  - id: customer_thanks
    speaker: customer
    weight: 0
    check: {kind: regex.v1, patterns: ['thanks']}
  - id: talk
    weight: 2
    feedback: Let them talk.
    check: {kind: metric_threshold.v1, metric: talk_ratio, op: '<=', value: 0.65}
  - id: combo
    weight: 0
    check:
      kind: all_of.v1
      scope: sentence
      checks:
        - {kind: regex.v1, patterns: ['refund']}
        - {kind: regex.v1, patterns: ['today']}
"""


@pytest.fixture()
def windows(tmp_path: Path):
    p = tmp_path / "w.yaml"
    p.write_text(RUBRIC)
    return validate_file(p)


def test_position_windows_min_count_speaker_and_na(windows):
    t = call(("agent", "Thanks. Hello there."), ("customer", "thanks, bye"), ("agent", "hello again, bye"),
             ("agent", "ok thanks"))
    sc = score(t, windows)
    assert sc.item("greet").hit and [f.turn_index for f in sc.item("greet").findings] == [0]
    assert not sc.item("bye").hit  # "bye" only in the agent's 2nd-to-last turn; window is last 1
    assert sc.item("thanks_twice").hit and sc.item("thanks_twice").count == 2
    assert not sc.item("empathy").applicable and sc.item("empathy").passed
    assert sc.item("customer_thanks").hit and sc.item("customer_thanks").findings[0].speaker == "customer"
    assert not sc.item("talk").applicable  # no metrics -> N/A, not a failure
    # score counts only applicable items: greet(1) + thanks_twice(1) of greet, bye, thanks_twice, customer_thanks(0), combo(0)
    assert sc.score == pytest.approx(round(100 * 2 / 3, 1))


def test_metric_threshold_reads_metrics(windows):
    t = call(("agent", "hello"), ("customer", "I am upset"), ("agent", "I understand. bye"))
    good = score(t, windows, Metrics(talk_ratio=0.4))
    bad = score(t, windows, Metrics(talk_ratio=0.8))
    assert good.item("talk").passed and good.item("talk").applicable
    assert not bad.item("talk").passed and bad.item("talk").feedback == "Let them talk. (talk_ratio = 0.8 (fails <= 0.65))"
    assert good.item("empathy").applicable and good.item("empathy").hit
    assert good.score > bad.score


def test_all_of_needs_both_parts_in_one_sentence(windows):
    assert [f.item_id for f in match_text("Your refund goes out today.", windows) if f.item_id == "combo"]
    assert not [f for f in match_text("Your refund is approved. I am off today.", windows) if f.item_id == "combo"]


def test_phrase_patterns_are_normalised(windows):
    assert any(f.item_id == "greet" for f in match_text("Dont panic!", windows))


def test_positive_interaction_reuses_items_and_metrics():
    t = call(("agent", "Thanks for calling! What happened? When did it start?"),
             ("customer", "The heating broke."), ("agent", "That sounds awful. An engineer comes tomorrow at 9."))
    sc = score(t, "positive-interaction", Metrics(talk_ratio=0.5, interruptions=0, longest_silence_s=2.0))
    hits = {i.item_id for i in sc.items if i.hit}
    assert {"kiita", "kysy", "kerro", "kohtaa", "kuuntele", "kunnioita", "hiljaisuus"} <= hits
    assert "kannusta" not in hits


def test_normalisation_repairs_asr_text():
    d = normalize("uh i dont no, ill call you to morrow at three thirty, sorry about the weight", "en")
    assert d.text == "i do not know i will call you tomorrow at 3 30 sorry about the wait"
    d = normalize("öö mä en tiiä, tota, huomen oottaan", "fi")
    assert d.text == "mina en tieda huomenna odottaan"  # Finnish is matched without diacritics
    assert count_words("I don't know, it's 3 pm 8–12") == 8


@pytest.mark.parametrize("raw, lang, expected", [
    ("youre write to be upset", "en", "you are right to be upset"),
    ("i wood be furious to", "en", "i would be furious to"),
    ("id be livid too", "en", "i would be livid too"),
    ("ill have it emailed with in the our", "en", "i will have it emailed within the hour"),
    ("were sending the car to morrow", "en", "we are sending the car tomorrow"),
    ("ring you back buy two thirty", "en", "ring you back by 2 30"),
    ("the refunds going back on your card", "en", "the refund is going back on your card"),
    ("its in there some where", "en", "it is in there somewhere"),
    ("your id number please", "en", "your id number please"),  # "id" stays when no verb follows
    ("the parcels are going out", "en", "the parcels are going out"),  # a plural with a verb stays
    ("soitan takasin kolmelt", "fi", "soitan takaisin kolmelta"),
    ("kahen arkipäivän sisällä", "fi", "kahden arkipäivän sisällä"),
    ("ilmotan millon se korjataan", "fi", "ilmoitan milloin se korjataan"),
    ("merkkasin tän kiireelliseks", "fi", "merkkasin tämän kiireelliseksi"),  # no -ks question
    ("know wonder your fed up", "en", "no wonder you are fed up"),
    ("i get that your worried", "en", "i get that you are worried"),  # ASR "your" for "you're"
    ("is that your account", "en", "is that your account"),
    ("the deposit's released to you", "en", "the deposit is released to you"),  # 's + passive
    ("the engineer's fitted the part", "en", "the engineer fitted the part"),  # 's + object: has
    ("your write to be annoyed", "en", "your right to be annoyed"),
    ("so ill ask my supervisor", "en", "so i will ask my supervisor"),
    ("i feel so ill", "en", "i feel so ill"),  # being ill stays ill
    ("well ask the shop", "en", "well ask the shop"),  # a discourse "well" stays
    ("get on to samsung your self", "en", "get on to samsung yourself"),
    ("hyvitys on teijän tilillä", "fi", "hyvitys on teidän tilillä"),
    ("joo ymmarran hyvin", "fi", "joo ymmärrän hyvin"),
    ("it's been a long week", "en", "it has been a long week"),
    ("it's good", "en", "it is good"),
    ("you shouldve read the terms", "en", "you should have read the terms"),
    ("know need to apologise", "en", "no need to apologize"),
    ("i know you need it today", "en", "i know you need it today"),
    ("take the thirty five pounds off", "en", "take the 35 pounds off"),  # one compound number
    ("ring you at three forty five", "en", "ring you at 3 45"),
])
def test_normalisation_repairs_asr_homophones_and_spoken_forms(raw, lang, expected):
    assert normalize(raw, lang).text == (fi_fold(expected) if lang == "fi" else expected)


@pytest.mark.parametrize("raw, folded", [
    ("En tiedä, ikävä kuulla", "en tieda ikava kuulla"),
    ("en tieda ikava kuulla", "en tieda ikava kuulla"),  # typed or recognised without ä/ö
    ("Välitän viestin eteenpäin", "vaelitan viestin eteenpain"),  # kept apart from "valitan" (I regret)
])
def test_finnish_is_matched_without_diacritics(raw, folded):
    doc = normalize(raw, "fi")
    assert doc.text == folded
    assert doc.original_span(0, len(doc.text)) == (0, len(raw))


def test_a_decimal_comma_is_no_clause_break():
    doc = normalize("Palautan 89,99 euroa tänään, kiitos.", "fi")
    assert doc.text == "palautan 89 99 euroa tanaan kiitos"
    assert doc.comma_breaks == (len("palautan 89 99 euroa tanaan"),)


def test_a_critical_failure_fails_the_call_even_without_a_pass_mark(tmp_path):
    from coach.rubric import load_rubric

    src = tmp_path / "r.yaml"
    src.write_text("""id: crit
title: Crit
version: "1"
languages: [en]
items:
  - id: promise
    title: Promise
    critical: true
    weight: 10
    check: {kind: phrase.v1, phrases: {en: ["call you back"]}}
    examples: {en: {match: ["I will call you back"], no_match: ["Bye"]}}
  - id: hello
    title: Hello
    weight: 90
    check: {kind: phrase.v1, phrases: {en: ["hello"]}}
    examples: {en: {match: ["hello"], no_match: ["bye"]}}
""")
    rub = load_rubric(str(src))
    bad = score(call(("agent", "Hello there."), ("customer", "Hi.")), rub)
    assert bad.score == 90.0 and bad.critical_failures == ("promise",) and bad.meta["passed"] is False
    good = score(call(("agent", "Hello, I will call you back."), ("customer", "Ok.")), rub)
    assert good.critical_failures == () and "passed" not in good.meta  # no pass mark: no verdict


VETO_TRAPS = """
id: veto-traps
title: t
version: "1"
languages: [en]
items:
  - id: unsure
    bad: true
    check:
      kind: regex.v1
      patterns: ['not sure']
      unless: ['i will \\w+']
      unless_exclude: ['when i will \\w+']
"""


def test_a_veto_inside_a_veto_trap_does_not_count(tmp_path):
    """unless_exclude: "i will fix" inside "when i will fix" is no ownership; a second,
    untrapped veto in the same utterance still vetoes."""
    from coach.rubric import match_text

    p = tmp_path / "v.yaml"
    p.write_text(VETO_TRAPS)
    rub = validate_file(p)
    assert not match_text("I am not sure, I will check.", rub)  # plain veto
    assert match_text("I am not sure when I will fix it.", rub)  # the only veto is trapped
    assert not match_text("I am not sure when I will fix it, but I will ask.", rub)


def test_match_text_findings_are_ordinary_findings():
    """match_text builds its Findings on a fast path (coach.rubric.engine._finding): they must be
    indistinguishable from ones made by the constructor."""
    import dataclasses
    import pickle

    from coach.rubric import match_text
    from coach.types import Finding

    got = match_text("I'm so sorry about the delay, I'll call you tomorrow at 3 pm.", "complaint-handling")
    assert got
    for f in got:
        same = Finding(f.item_id, f.turn_index, f.span, f.text, f.why, f.start, f.end, f.speaker)
        assert f == same and hash(f) == hash(same) and repr(f) == repr(same)
        assert dataclasses.asdict(f) == dataclasses.asdict(same)
        assert pickle.loads(pickle.dumps(f)) == same
        with pytest.raises(dataclasses.FrozenInstanceError):
            f.text = "x"  # type: ignore[misc]


def _one_item_rubric(tmp_path, item_yaml: str):
    """Load an English test rubric whose items are ``item_yaml`` (each call its own file)."""
    from coach.rubric import load_rubric

    src = tmp_path / f"r{len(list(tmp_path.glob('r*.yaml')))}.yaml"
    src.write_text('id: t\ntitle: T\nversion: "1"\nlanguages: [en]\nitems:\n' + item_yaml)
    return load_rubric(str(src))


def test_a_clause_that_is_only_a_time_joins_its_neighbours(tmp_path):
    """time_promise.v1 with time_clause_words: "Tomorrow morning, ..." and "..., Wednesday the 12th"
    are promises; without the option the comma keeps commitment and time apart."""
    from coach.rubric.engine import labels

    body = """  - id: promise
    check:
      kind: time_promise.v1
      commitment: ['(?:i|we|the engineer) will \\w+', 'booked']
      time: ['tomorrow', 'wednesday', 'friday']
      veto: ['can not']
"""
    plain = _one_item_rubric(tmp_path, body)
    joined = _one_item_rubric(tmp_path, body + "      time_clause_words: {en: [morning, the, 12th, by]}\n")
    for text in ("Tomorrow morning, the engineer will come.", "I've booked it for you, Wednesday the 12th.",
                 "By Friday, we will send it."):
        assert "promise" not in labels(text, plain), text
        assert "promise" in labels(text, joined), text
    for text in ("I will check, tomorrow is a holiday.", "Tomorrow, sadly, we can not come."):
        assert "promise" not in labels(text, joined), text


def test_a_subordinate_time_clause_joins_the_clause_after_it(tmp_path):
    """time_promise.v1 with time_clause_starts: "Before we close at six tonight, I'll send it" is a
    promise although the comma parts the time from the commitment; the clause joins only the one
    after it, and only when the turn has no promise without joining."""
    from coach.rubric.engine import labels

    body = """  - id: promise
    check:
      kind: time_promise.v1
      commitment: ['(?:i|we) will \\w+']
      time: ['tonight', 'at \\d+']
      veto: ['might']
"""
    plain = _one_item_rubric(tmp_path, body)
    joined = _one_item_rubric(tmp_path, body + "      time_clause_starts: {en: [before, by the time]}\n")
    for text in ("Before we close at 6 tonight, I will send it.", "By the time you are home tonight, we will fix it."):
        assert "promise" not in labels(text, plain), text
        assert "promise" in labels(text, joined), text
    for text in ("I will send it, before we close at 6 tonight.",  # (the clause joins the one after it only)
                 "Before we close at 6 tonight, we might send it.",  # (a veto in the joined clause still counts)
                 "After we close at 6 tonight, I will send it."):  # (not one of the starts)
        assert "promise" not in labels(text, joined), text


def test_a_veto_beforees_a_promise_only_when_it_comes_before_the_promise_ends(tmp_path):
    """time_promise.v1 veto_before: "can you ..." before or inside the promise makes it a request
    ("can you send it by friday"); after it, in an unpunctuated turn, it is a new sentence ("we
    will send it tomorrow can you make sure someone is in"). A plain veto counts anywhere."""
    from coach.rubric.engine import labels

    body = """  - id: promise
    check:
      kind: time_promise.v1
      commitment: ['(?:i|we) will \\w+', 'send']
      time: ['tomorrow', 'by friday']
      veto: ['does that work']
"""
    as_veto = _one_item_rubric(tmp_path, body)
    everywhere = _one_item_rubric(tmp_path, body.replace("veto: ['does that work']", "veto: ['does that work', 'can you']"))
    before = _one_item_rubric(tmp_path, body + "      veto_before: ['can you']\n")
    trailing = "we will send it tomorrow can you make sure someone is in"
    assert "promise" in labels(trailing, as_veto)
    assert "promise" not in labels(trailing, everywhere)
    assert "promise" in labels(trailing, before)
    for text in ("can you send it by friday", "we will send the form can you sign it by friday",
                 "we will send it tomorrow does that work"):
        assert "promise" not in labels(text, before), text


def test_asr_join_leaves_a_whole_stem_alone():
    """"anteeks ihan" is two words ("anteeks" is a stem of its own); "pahoit telen" is one."""
    from coach.rubric.asr_join import fi_join

    assert fi_join("anteeks", "ihan") is None
    assert fi_join("pahoit", "telen") == "pahoittelen"
    assert fi_join("anteek", "si") == "anteeksi"


def test_a_trapped_match_does_not_hide_a_match_that_starts_inside_it(tmp_path):
    """Matches do not overlap, so a long match a trap drops ("hassle i know") used to hide a
    shorter one starting inside it ("i know you have been without ..."); the check looks again
    behind a dropped match, and the trap still drops what it covers."""
    from coach.rubric.engine import labels

    rub = _one_item_rubric(tmp_path, """  - id: ack
    check:
      kind: regex.v1
      patterns: ['hassle,? i know', 'i know you have been without (?:a|your) \\w+']
      exclude: ['sorry for (?:all )?(?:this|the) hassle']
""")
    assert "ack" in labels("sorry for all this hassle i know you've been without a phone all week", rub)
    assert "ack" not in labels("sorry for all this hassle i know", rub)
    assert "ack" in labels("what a hassle, i know", rub)
