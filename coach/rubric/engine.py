"""Pure scoring: a transcript (and optional metrics) + a rubric -> a Scorecard with evidence.

``match_text`` scores one utterance (the live loop and the persona call it every turn; patterns
are compiled once per rubric and language, normalisation is cached). ``score`` applies speaker
scope, position windows, minimum counts, N/A conditions and metric thresholds, and turns the
weights into a 0-100 score. No files, no devices, no models.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Iterable

from coach.rubric import prefilter
from coach.rubric.gate import gates, may_match
from coach.rubric.model import Rubric, load_rubric, text_for
from coach.rubric.normalize import Doc, normalize
from coach.types import Finding, ItemResult, Metrics, Scorecard, Transcript, Turn

_new = object.__new__


# Finding is a frozen dataclass: its __init__ sets each of the 8 fields with object.__setattr__,
# which costs more than the rest of reporting a hit. match_text fills a new instance's __dict__ at
# once instead: the same object (equal, same hash and repr). Only while Finding has exactly these
# fields and no __post_init__; otherwise the ordinary constructor.
if tuple(f.name for f in fields(Finding)) == ("item_id", "turn_index", "span", "text", "why", "start", "end", "speaker") \
        and not hasattr(Finding, "__post_init__") and not hasattr(Finding, "__slots__"):
    def _finding(item_id: str, span: tuple[int, int], text: str, why: str, speaker: str) -> Finding:
        f = _new(Finding)
        f.__dict__.update(item_id=item_id, turn_index=0, span=span, text=text, why=why, start=None, end=None,
                          speaker=speaker)
        return f
else:  # pragma: no cover
    def _finding(item_id: str, span: tuple[int, int], text: str, why: str, speaker: str) -> Finding:
        return Finding(item_id, 0, span, text, why, None, None, speaker)


def _as_rubric(rubric: Rubric | str) -> Rubric:
    return rubric if isinstance(rubric, Rubric) else load_rubric(rubric)


def _findings(item_id: str, check, doc: Doc, turn_index: int, turn: Turn | None, speaker: str) -> list[Finding]:
    out = []
    for h in check.find(doc):
        a, b = doc.original_span(h.start, h.end)
        start, end = _times(turn, a, b) if turn is not None else (None, None)
        out.append(Finding(item_id, turn_index, (a, b), doc.original[a:b], h.why, start, end, speaker))
    return out


def match_text(text: str, rubric: Rubric | str, lang: str = "en", speaker: str = "agent",
               items: Iterable[str] | None = None) -> list[Finding]:
    """Findings for ONE utterance (turn index 0): which items matched which words, and why."""
    rub = rubric if isinstance(rubric, Rubric) else load_rubric(rubric)
    comp = rub.compiled(lang)
    doc = normalize(text, comp.lang)
    wanted = set(items) if items is not None else None
    gated = comp.gated_checks(speaker, rub.model.items)  # (first: deriving gates may add keys)
    keys = prefilter.doc_keys(doc.text).set if prefilter.ENABLED else None
    out: list[Finding] = []
    for item_id, check, gs in gated:
        if wanted is not None and item_id not in wanted:
            continue
        if keys is not None:
            for g in gs:
                if g.isdisjoint(keys):
                    break  # the utterance lacks every word one part of this check needs
            else:
                gs = None
            if gs is not None:
                continue
        hits = check.find(doc)
        if hits:
            for h in hits:
                a, b = doc.original_span(h.start, h.end)
                out.append(_finding(item_id, (a, b), text[a:b], h.why, speaker))
    return out


def warm(rubric: Rubric | str, lang: str = "en") -> int:
    """Do the lazy work of a rubric up front (compile it, derive its gates, compile the token
    dispatch regexes), so the first utterances scored live are not slower. Returns how many
    regexes were compiled."""
    rub = _as_rubric(rubric)
    comp = rub.compiled(lang)
    for speaker in ("agent", "customer"):
        comp.gated_checks(speaker, rub.model.items)
    return prefilter.warm(comp)


def labels(text: str, rubric: Rubric | str, lang: str = "en") -> set[str]:
    """The item ids an utterance hits (what `coach rubric eval` compares with the labels)."""
    return {f.item_id for f in match_text(text, rubric, lang)}


def _times(turn: Turn, a: int, b: int) -> tuple[float | None, float | None]:
    """Times of the words under the span, else the turn's times."""
    if turn.words:
        pos, hits = 0, []
        low = turn.text.lower()
        for w in turn.words:
            t = w.text.strip().lower()
            if not t:
                continue
            i = low.find(t, pos)
            if i < 0:
                continue
            pos = i + len(t)
            if i < b and a < pos:
                hits.append(w)
        if hits:
            return hits[0].start, hits[-1].end
    return turn.start, turn.end


def _window(turns: list[tuple[int, Turn]], window) -> list[tuple[int, Turn]]:
    if window is None:
        return turns
    if window.first:
        turns = turns[: window.first]
    if window.last:
        turns = turns[-window.last:]
    return turns


def score(transcript: Transcript, rubric: Rubric | str, metrics: Metrics | None = None,
          lang: str | None = None) -> Scorecard:
    """Score a whole call. Pure: the same inputs always give the same Scorecard."""
    rub = _as_rubric(rubric)
    lang = rub.lang_for(lang or transcript.lang)
    comp = rub.compiled(lang)
    docs: dict[int, Doc] = {}

    def doc(i: int) -> Doc:
        if i not in docs:
            docs[i] = normalize(transcript.turns[i].text, lang)
        return docs[i]

    agent_turns = transcript.by("agent")
    results: list[ItemResult] = []
    for it in rub.model.items:
        check = comp.checks.get(it.id)
        title = text_for(it.title, lang) or it.id
        applicable, findings, why = True, [], ""
        na = it.not_applicable_if
        if na and na.fewer_agent_turns_than and len(agent_turns) < na.fewer_agent_turns_than:
            applicable = False
        if applicable and it.id in comp.na_customer:
            pats = comp.na_customer[it.id]
            applicable = any(pats.search(doc(i).text) for i, _ in transcript.by("customer"))
        hit = False
        if applicable and check is not None and getattr(check, "level", "utterance") == "conversation":
            res = check.evaluate(metrics)
            applicable, hit, why = res.applicable, res.hit, res.why
        elif applicable and check is not None:
            if it.speaker == "any":
                cands = list(enumerate(transcript.turns))
            else:
                cands = transcript.by(it.speaker)
            gs = gates(check) if prefilter.ENABLED else ()
            for i, turn in _window(cands, it.window):
                if gs and not may_match(gs, prefilter.doc_keys(doc(i).text).set):
                    continue
                findings.extend(_findings(it.id, check, doc(i), i, turn, turn.speaker))
            hit = len(findings) >= it.min_count
        passed = (not applicable) or (hit != it.bad)
        feedback = None if passed else text_for(it.feedback, lang)
        if why and not passed and feedback:
            feedback = f"{feedback} ({why})"
        results.append(ItemResult(
            item_id=it.id, title=title, hit=hit, applicable=applicable, bad=it.bad,
            count=len(findings) if check is None or getattr(check, "level", "") != "conversation" else int(hit),
            min_count=it.min_count, weight=it.weight, critical=it.critical,
            findings=tuple(findings), feedback=feedback))
    total = sum(r.weight for r in results if r.applicable)
    got = sum(r.weight for r in results if r.applicable and r.passed)
    value = round(100.0 * got / total, 1) if total > 0 else 100.0
    critical = tuple(r.item_id for r in results if r.critical and r.applicable and not r.passed)
    meta = {"rubric_title": rub.title(lang)}
    if rub.model.pass_mark is not None:
        meta["pass_mark"] = rub.model.pass_mark
        meta["passed"] = value >= rub.model.pass_mark and not critical
    elif critical:
        meta["passed"] = False  # a critical item failed: the call fails whatever the score
    return Scorecard(rub.id, rub.version, lang, value, tuple(results), critical, metrics, transcript, meta)
