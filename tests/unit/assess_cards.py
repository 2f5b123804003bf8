"""Hand-built scorecards for the report/store/batch unit tests (no rubric engine needed)."""

from __future__ import annotations

from coach.types import (Finding, Interval, ItemResult, Metrics, Scorecard, Silence, Transcript,
                         Turn)

TURNS = (
    Turn("agent", "Hello, thanks for calling Acme, this is Sam.", 0.5, 3.2),
    Turn("customer", "My parcel is two weeks late and nobody <b>answers</b> my emails!", 3.8, 8.9),
    Turn("agent", "I'm so sorry about that, I understand how frustrating it is.", 9.6, 13.0),
    Turn("customer", "It is really annoying.", 13.4, 15.0),
    Turn("agent", "I don't know where it is, but I'll call you back by 3 pm today.", 22.0, 26.5),
    Turn("customer", "Okay, thanks.", 27.0, 28.1),
)


def make_card(score: float = 72.5, agent: str = "anna", date: str = "2026-11-20",
              input_: str = "calls/anna_2026-11-20_001.json", hit_next: bool = True,
              text_only: bool = False) -> Scorecard:
    turns = TURNS if not text_only else tuple(Turn(t.speaker, t.text) for t in TURNS)
    def ev(item, turn, words, why):
        a = TURNS[turn].text.index(words)
        return Finding(item, turn, (a, a + len(words)), words, why, TURNS[turn].start, TURNS[turn].end)

    f_apo = ev("apology", 2, "so sorry", "apology word")
    f_ack = ev("acknowledgement", 2, "I understand how frustrating it is", "names the feeling")
    f_dis = ev("discouraged", 4, "I don't know", "admitted ignorance")
    f_nxt = ev("next_step", 4, "I'll call you back by 3 pm today", "promise + action + time")
    items = (
        ItemResult("greeting", "Greeting & own name", True, weight=10, count=1,
                   findings=(ev("greeting", 0, "Hello", "greeting"),)),
        ItemResult("acknowledgement", "Acknowledge the feeling", True, weight=25, count=1, findings=(f_ack,)),
        ItemResult("apology", "Apologise", True, weight=20, count=1, findings=(f_apo,)),
        ItemResult("next_step", "Say what happens next and when", hit_next, weight=30, critical=True,
                   count=int(hit_next), findings=(f_nxt,) if hit_next else (),
                   feedback="Promise a concrete next step with a time: 'I'll call you by 3 pm today.'"),
        ItemResult("discouraged", "Avoid 'I don't know'", True, bad=True, weight=15, count=1,
                   findings=(f_dis,), feedback="Say what you will find out instead of 'I don't know'."),
        ItemResult("closing", "Close: anything else?", False, weight=0, applicable=False),
    )
    metrics = Metrics(duration_s=28.1, agent_talk_s=10.6, customer_talk_s=7.7, talk_ratio=0.579,
                      agent_word_share=0.6, silence_total_s=9.8, longest_silence_s=7.0,
                      long_silences=(Silence(15.0, 22.0),), longest_monologue_s=4.5,
                      longest_customer_story_s=5.1, interactivity_per_min=10.7, patience_mean_s=0.6,
                      patience_median_s=0.6, interruptions=0, overtalk_s=0.0, agent_questions=0,
                      agent_wpm=150.0, customer_wpm=120.0, agent_words=38, customer_words=17,
                      timing_available=not text_only) if not text_only else Metrics(
                      agent_word_share=0.6, agent_words=38, customer_words=17,
                      notes=("No timing in a text transcript: talk-time figures are unavailable.",))
    intervals = None if text_only else {
        "agent": tuple(Interval(t.start, t.end) for t in TURNS if t.speaker == "agent"),
        "customer": tuple(Interval(t.start, t.end) for t in TURNS if t.speaker == "customer")}
    tr = Transcript(turns=turns, lang="en", source=input_, duration=None if text_only else 28.1,
                    intervals=intervals)
    return Scorecard(rubric_id="complaint-handling", rubric_version="1.0", lang="en", score=score,
                     items=items, critical_failures=() if hit_next else ("next_step",), metrics=metrics,
                     transcript=tr,
                     meta={"coach_version": "0.1.0", "input": input_, "input_kind": "transcript",
                           "agent": agent, "date": date, "created": "2026-11-22T15:00:00Z", "model": None,
                           "rubric_id": "complaint-handling", "rubric_version": "1.0", "notes": []})
