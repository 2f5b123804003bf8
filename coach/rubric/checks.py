"""Built-in check kinds. Each is a pydantic parameter model plus a ``build`` function.

Utterance-level checks expose ``find(doc) -> list[Hit]`` (spans in the normalised text);
conversation-level checks (``metric_threshold.v1``) expose ``evaluate(metrics)``. They all
register through :func:`register`, the ``builtin`` entry point of the ``coach.checks`` group.

Common guards on pattern checks:
- ``exclude`` (traps): a hit is dropped when a trap match overlaps it ("sorry, could you repeat").
- ``unless`` (vetoes): a hit is dropped when a veto matches in the same ``unless_scope``
  (utterance, sentence or clause), e.g. "I don't know ... but I'll find out".
- ``unless_exclude`` (veto traps): a veto match one of them overlaps does not count, e.g. the
  passive "korjataan" inside the question "en osaa sanoa, milloin vika korjataan".
"""

from __future__ import annotations

import operator
from functools import partial
from typing import Any, Literal, NamedTuple, Union

from pydantic import Field

from coach.rubric.conversation import ItemRefParams, MetricParams, build_item_ref, build_metric
from coach.rubric.normalize import Doc, _tuple_new, normalize_pattern_text
from coach.rubric import prefilter as _prefilter
from coach.rubric.registry import StrictParams as _Params
from coach.rubric.patterns import CompileContext, PatternIssue, PatternSet

LangList = Union[dict[str, list[str]], list[str]]
Scope = Literal["utterance", "sentence", "clause"]


class Hit(NamedTuple):
    start: int
    end: int
    why: str


_start_end = operator.itemgetter(0, 1)  # a Hit's (start, end): the order of AnyOfCheck's hits


# ---------------------------------------------------------------- guards shared by pattern kinds
class GuardParams(_Params):
    exclude: LangList | None = Field(None, description="trap patterns: a hit they overlap is dropped")
    unless: LangList | None = Field(None, description="veto patterns: a hit is dropped when one matches in its unless_scope")
    unless_exclude: LangList | None = Field(None, description="veto traps: a veto match they overlap does not count")
    unless_scope: Scope = "utterance"
    breaks: LangList | None = Field(None, description="extra clause-break words (e.g. but, mutta) for scope 'clause'")
    why: str | None = Field(None, description="short reason shown with each hit")


class _Guard:
    def __init__(self, p: GuardParams, ctx: CompileContext, loc: tuple):
        self.exclude = ctx.compile(p.exclude, loc + ("exclude",))
        self.unless = ctx.compile(p.unless, loc + ("unless",))
        self.unless_exclude = ctx.compile(getattr(p, "unless_exclude", None), loc + ("unless_exclude",))
        self.breaks = ctx.compile(p.breaks, loc + ("breaks",))
        self.scope = p.unless_scope
        self.why = p.why

    def units(self, doc: Doc, scope: str) -> list[tuple[int, int]]:
        extra = tuple(s for s, _ in self.breaks.spans(doc.text)) if self.breaks and scope == "clause" else ()
        return doc.units(scope, extra)

    def keep_outside_traps(self, doc: Doc, hits: list[Hit]) -> list[Hit]:
        """The hits no exclusion (trap) pattern overlaps, within the hit's statement."""
        if not self.exclude or not hits:
            return hits
        stmts = _statements(doc)
        out = []
        for h in hits:
            a, b = _unit_of(stmts, h.start, len(doc.text))
            if not self.exclude.overlaps(doc.text, h.start, h.end, a, b):
                out.append(h)
        return out

    def keep(self, doc: Doc, hits: list[Hit]) -> list[Hit]:
        if not hits:
            return hits
        hits = self.keep_outside_traps(doc, hits)
        if not self.unless:
            return hits
        out = []
        units = self.units(doc, self.scope)
        for h in hits:
            a, b = _unit_of(units, h.start, len(doc.text))
            if not self.vetoed(doc.text, a, b):
                out.append(h)
        return out

    def vetoed(self, text: str, a: int, b: int) -> bool:
        """True when a veto matches in [a, b) and no veto trap overlaps that match."""
        if not self.unless.any(text, a, b):
            return False
        if not self.unless_exclude:
            return True
        return any(not self.unless_exclude.overlaps(text, s, e, a, b)
                   for s, e in self.unless.spans(text, a, b))


def _unit_of(units: list[tuple[int, int]], pos: int, n: int) -> tuple[int, int]:
    """The unit holding ``pos`` (else the whole text ``(0, n)``)."""
    for u in units:
        if u[0] <= pos < u[1]:
            return u
    return (0, n)


def _statements(doc: Doc) -> list[tuple[int, int]]:
    """Ranges between statement ends (full stops, '!'): a trap cannot reach across them ("I am
    sorry about that. Could you give me your number?" is an apology), but it can across a '?'
    ("Sorry? Could you say that again?" is a repair)."""
    return doc.units("statement")


def _short(src: str, n: int = 60) -> str:
    return src if len(src) <= n else src[: n - 3] + "..."


# ---------------------------------------------------------------------------------- regex.v1
class RegexParams(GuardParams):
    patterns: LangList = Field(..., description="regular expressions over the normalised text, per language")


class PatternCheck:
    level = "utterance"

    def __init__(self, pats: PatternSet, guard: _Guard, label: str):
        self.pats, self.guard, self.label = pats, guard, label
        # pats.spans without its layer: straight to the token dispatch (coach.rubric.prefilter)
        d = pats.dispatch
        self._spans = partial(d.spans, pats.regex) if d is not None and pats.regex is not None else pats.spans

    def find(self, doc: Doc, a: int = 0, b: int | None = None, *, reasons: bool = True) -> list[Hit]:
        """Hits in [a, b). ``reasons=False``: the caller shows its own reason, so a hit's ``why``
        may be empty (AllOfCheck with a ``why``)."""
        text = doc.text
        end = len(text) if b is None else b
        spans = self._spans(text, a, end)
        if not spans:
            return []  # the common case
        hits = self._hits(text, spans, end, reasons)
        kept = self.guard.keep(doc, hits)
        if len(kept) < len(hits) and self.guard.exclude:
            kept = self._behind_traps(doc, hits, kept, end, reasons)
        return kept

    def _hits(self, text: str, spans: list[tuple[int, int]], end: int, reasons: bool) -> list[Hit]:
        why = self.guard.why
        # (tuple.__new__: what Hit(...) does, without the named tuple's Python-level __new__)
        if why or not reasons:  # no need to find which pattern matched
            why = why or ""
            return [_tuple_new(Hit, (s, e, why)) for s, e in spans]
        pats = self.pats
        head = text if end == len(text) else text[:end]
        return [_tuple_new(Hit, (s, e, f"{self.label} /{_short(pats._source(head, s, e))}/")) for s, e in spans]

    def _behind_traps(self, doc: Doc, hits: list[Hit], kept: list[Hit], end: int, reasons: bool) -> list[Hit]:
        """A match a trap dropped may hide a shorter one that starts inside it ("sorry for all this
        hassle i know you've been without a phone all week": the trapped "hassle i know" hid "i
        know you've been without…"), since matches do not overlap: look again from just after each
        dropped match's start, for matches starting before its end (twice at most)."""
        out = list(kept)
        dropped = [h for h in hits if h not in kept]
        for _ in range(2):
            found = []
            for d in dropped:
                extra = [(s, e) for s, e in self._spans(doc.text, d.start + 1, end) if s < d.end]
                if extra:
                    hs = self._hits(doc.text, extra, end, reasons)
                    keep = self.guard.keep(doc, hs)
                    out.extend(h for h in keep if h not in out)
                    found.extend(h for h in hs if h not in keep)
            if not found:
                break
            dropped = found
        return sorted(out) if len(out) > len(kept) else out

    def maybe(self, doc: Doc, a: int = 0, b: int | None = None) -> bool:
        """Cheap necessary condition (guards ignored): used to skip work early."""
        return self.pats.any(doc.text, a, b)


def build_regex(p: RegexParams, ctx: CompileContext, loc: tuple = ()) -> PatternCheck:
    """Regular expressions over the normalised utterance (vocabularies as {name})."""
    pats = ctx.compile(p.patterns, loc + ("patterns",))
    return PatternCheck(pats, _Guard(p, ctx, loc), "pattern")


# --------------------------------------------------------------------------------- phrase.v1
class PhraseParams(GuardParams):
    phrases: LangList = Field(..., description="literal phrases; 'word*' matches a stem, '...' skips up to 3 words")


def build_phrase(p: PhraseParams, ctx: CompileContext, loc: tuple = ()) -> PatternCheck:
    """Literal phrases, normalised like utterances ("don't know" also matches "dont know")."""
    pats = ctx.compile(p.phrases, loc + ("phrases",), literal=True)
    return PatternCheck(pats, _Guard(p, ctx, loc), "phrase")


# ------------------------------------------------------------------------ all_of.v1 / any_of.v1
class AllOfParams(GuardParams):
    checks: list[dict[str, Any]] = Field(..., min_length=1, description="sub-checks that must all match inside one scope unit")
    scope: Scope = "sentence"


class AnyOfParams(GuardParams):
    checks: list[dict[str, Any]] = Field(..., min_length=1, description="sub-checks; any one matching is a hit")


class AllOfCheck:
    level = "utterance"

    def __init__(self, subs: list, guard: _Guard, scope: str, question_veto: bool = False):
        self.subs, self.guard, self.scope, self.question_veto = subs, guard, scope, question_veto
        self.order = list(reversed(subs))  # the last part (e.g. time) is usually the rarest
        self.sentence_unless = None
        # time_promise.v1 veto_before: counts only when it starts before the promise ends
        self.before_unless = None
        self.before_conj = None  # time_promise.v1 conjunctions: a veto_before match ends its reach at one
        self.time_clause_words: frozenset[str] | None = None  # time_promise.v1: see _join_time_clauses
        self.time_clause_starts: tuple[str, ...] = ()  # time_promise.v1: see _join_time_clauses

    def find(self, doc: Doc, a0: int = 0, b0: int | None = None) -> list[Hit]:
        b0 = len(doc.text) if b0 is None else b0
        g = self.guard
        # cheap pre-pass: every part must match somewhere before splitting into units
        for sub in self.order:
            if not (sub.maybe(doc, a0, b0) if hasattr(sub, "maybe") else sub.find(doc, a0, b0)):
                return []
        units = g.units(doc, self.scope)
        out = self._scan(doc, units, a0, b0)
        if not out and (self.time_clause_words is not None or self.time_clause_starts) and len(units) > 1:
            joined = self._join_time_clauses(doc, units)  # (only now: most texts never need it)
            if len(joined) < len(units):
                out = self._scan(doc, joined, a0, b0)
        if out and self.sentence_unless:
            sents = doc.units("sentence")
            out = [h for h in out if not any(a <= h.start < b and self.sentence_unless.any(doc.text, a, b) for a, b in sents)]
        return g.keep_outside_traps(doc, out)


    def _scan(self, doc: Doc, units: list[tuple[int, int]], a0: int, b0: int) -> list[Hit]:
        """A hit for each unit in which every part matches and no veto does."""
        g = self.guard
        out = []
        for a, b in units:
            a, b = max(a, a0), min(b, b0)
            if a >= b:
                continue
            parts = []
            for sub in self.subs:
                # the parts' own reasons are only shown when this check has no why
                hits = sub.find(doc, a, b, reasons=False) if g.why and sub.__class__ is PatternCheck \
                    else sub.find(doc, a, b)
                if not hits:
                    break
                parts.append(hits[0])
            else:
                if self.question_veto and b in doc.questions:
                    continue
                if g.unless and g.vetoed(doc.text, a, b):
                    continue
                if self.before_unless is not None and self._vetoed_before(doc.text, a, b, parts):
                    continue
                why = g.why or " + ".join(h.why for h in parts)
                out.append(Hit(min(h.start for h in parts), max(h.end for h in parts), why))
        return out

    def _vetoed_before(self, text: str, a: int, b: int, parts: list[Hit]) -> bool:
        """A request, question or past-time word that starts before the promise ends governs it
        ("could you send it by Friday", "varaanko ajan huomiseksi", "it was sent yesterday and
        arrives Friday"); one after it is a new sentence that an unpunctuated turn runs on into
        ("we'll have it there by six tonight can you make sure someone's in", "tuodaan se tänä
        iltana kuuteen mennessä onks siellä joku kotona", "you'll get it by friday it's already
        been ordered"). With ``conjunctions``, one that ends before a conjunction which comes before
        the commitment, with a time of the promise's own after the conjunction, belongs to an earlier
        conjunct: "the router is already packed and arrives tomorrow before 1 pm", "paketti lähti
        eilen ja on perillä huomenna"."""
        end = max(h.end for h in parts)
        start = parts[0].start  # the commitment
        conj = self.before_conj
        for s, e in self.before_unless.spans(text, a, b):
            if s >= end:
                continue
            if conj and e <= start:
                m = conj.search(text, e, start)
                if m is not None and self._time_from(text, m[1], b):
                    continue  # it governs an earlier conjunct: "it was sent yesterday and arrives friday"
            return True
        return False

    def _time_from(self, text: str, a: int, b: int) -> bool:
        """The last part (the time) matches in [a, b): the promise after a conjunction has its own
        time ("lähetin sen jo aamulla ja se on perillä huomenna"), not only the earlier conjunct's."""
        pats = getattr(self.subs[-1], "pats", None)
        return pats.any(text, a, b) if pats is not None else True

    def _join_time_clauses(self, doc: Doc, units: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """A clause that is only a time ("Tomorrow morning, the engineer comes", "I've booked it
        for you, Wednesday the 12th") or only a sum ("Palautamme laatikon hinnan, 39,90 euroa,
        tilillenne maanantaihin mennessä") belongs to its neighbours: join it to the clause before
        and after. Only a time: the last part (the time) matches there and at most three other
        words stand beside it, all of them in ``time_clause_words`` ("say", "around", "noin"). Only
        a sum: numbers and at most two such words ("euroa", "pounds"). A clause that opens with one of
        ``time_clause_starts`` ("before we close at six", "kun pääsette töihin") is a subordinate
        clause: it joins the clause after it ("Before we close at six tonight, I'll push the refund
        through")."""
        text, time, words = doc.text, self.subs[-1], self.time_clause_words or frozenset()
        starts = self.time_clause_starts
        only = []
        opens = [bool(starts) and (text[a:b].lstrip() + " ").startswith(starts) for a, b in units]
        for a, b in units:
            hits = time.find(doc, a, b, reasons=False) if time.__class__ is PatternCheck else time.find(doc, a, b)
            rest, pos = [], a
            for h in hits:
                rest += text[pos:h.start].split()
                pos = max(pos, h.end)
            rest += text[pos:b].split()
            if hits:
                only.append(len(rest) <= 3 and words.issuperset(rest))
            else:
                other = [w for w in rest if not w.isdigit()]
                only.append(len(other) < len(rest) and len(other) <= 2 and words.issuperset(other))
        out = [units[0]]
        for k in range(1, len(units)):
            if only[k] or only[k - 1] or opens[k - 1]:
                out[-1] = (out[-1][0], units[k][1])
            else:
                out.append(units[k])
        return out


class AnyOfCheck:
    level = "utterance"

    def __init__(self, subs: list, guard: _Guard):
        self.subs, self.guard = subs, guard
        self.prefilter = None
        self.dispatched = False
        if subs and all(isinstance(s, PatternCheck) for s in subs):
            from coach.rubric.patterns import union_regex
            self.prefilter = union_regex([s.pats for s in subs])
            # with anchor dispatch each sub-check rejects cheaply on its own; the union scan
            # would only cost time (results are the same either way)
            self.dispatched = all(s.pats.dispatch is not None for s in subs)

    def find(self, doc: Doc, a: int = 0, b: int | None = None) -> list[Hit]:
        if self.prefilter is not None and not (self.dispatched and _prefilter.ENABLED) and self.prefilter.search(doc.text, a, len(doc.text) if b is None else b) is None:
            return []
        hits: list[Hit] = []
        for sub in self.subs:
            hits.extend(sub.find(doc, a, b))
        if len(hits) > 1:
            hits.sort(key=_start_end)
        return self.guard.keep(doc, hits)


def build_sub(spec: Any, ctx: CompileContext, loc: tuple):
    """Build a nested check from its dict (``kind`` + parameters); errors go to ``ctx.issues``."""
    from pydantic import ValidationError as PydErr

    from coach.rubric.registry import get_kind

    if not isinstance(spec, dict) or "kind" not in spec:
        ctx.issues.append(PatternIssue(loc, "a check needs a 'kind'"))
        return None
    kind = get_kind(str(spec["kind"]))
    if kind is None:
        from coach.rubric.registry import kind_names
        ctx.issues.append(PatternIssue(loc + ("kind",), f"unknown check kind {spec['kind']!r} (known: {', '.join(kind_names())})"))
        return None
    try:
        params = kind.params.model_validate({k: v for k, v in spec.items() if k != "kind"})
    except PydErr as exc:
        for err in exc.errors():
            ctx.issues.append(PatternIssue(loc + tuple(err["loc"]), _pyd_message(err)))
        return None
    return kind.build(params, ctx, loc)


def _pyd_message(err: dict) -> str:
    if err.get("type") == "extra_forbidden":
        return "unknown key"
    if err.get("type") == "missing":
        return "required key is missing"
    return err.get("msg", "invalid value")


def _subs(p, ctx, loc):
    subs = [build_sub(s, ctx, loc + ("checks", i)) for i, s in enumerate(p.checks)]
    return [s for s in subs if s is not None]


def build_all_of(p: AllOfParams, ctx: CompileContext, loc: tuple = ()) -> AllOfCheck:
    """Every sub-check matches inside the same utterance / sentence / clause."""
    return AllOfCheck(_subs(p, ctx, loc), _Guard(p, ctx, loc), p.scope)


def build_any_of(p: AnyOfParams, ctx: CompileContext, loc: tuple = ()) -> AnyOfCheck:
    """Any sub-check matches."""
    return AnyOfCheck(_subs(p, ctx, loc), _Guard(p, ctx, loc))


# --------------------------------------------------------------------------- time_promise.v1
class TimePromiseParams(GuardParams):
    commitment: LangList = Field(..., description="commitment by the agent/company (I'll..., goes out..., saatte...)")
    time: LangList = Field(..., description="concrete time or deadline (3 pm, tomorrow, within 4 hours, huomenna)")
    veto: LangList | None = Field(None, description="hedges, vague timing, policy, offers, requests, negation: no promise in that unit")
    sentence_veto: LangList | None = Field(None, description="strong hedges that cancel a promise anywhere in the same sentence (hopefully, I'll do my best)")
    veto_before: LangList | None = Field(None, description="requests to the customer, questions, past-time words: they cancel a "
                                         "promise only when they start before it ends (after it, in an unpunctuated turn, they begin "
                                         "a new sentence)")
    scope: Scope = "clause"
    questions_are_offers: bool = Field(True, description="a unit ending in '?' is an offer/question, not a promise")
    conjunctions: LangList | None = Field(None, description="words that open a new conjunct ('and', 'ja'): a veto_before match "
                                          "that ends before one of them, with the commitment after it, governs only the earlier "
                                          "conjunct ('it was sent yesterday and arrives Friday' is a promise)")
    time_clause_words: LangList | None = Field(None, description="words that may stand beside a time or a sum in a clause of its "
                                               "own ('say', 'around', 'euros'); such a clause ('Tomorrow morning, ...', '..., Wednesday "
                                               "the 12th', '..., 14,80 euroa, ...') joins the clauses before and after it")
    time_clause_starts: LangList | None = Field(None, description="words that open a subordinate clause ('before', 'by the time', "
                                                "'kun'); such a clause ('Before we close at six tonight, ...') joins the clause after it")


def build_time_promise(p: TimePromiseParams, ctx: CompileContext, loc: tuple = ()) -> AllOfCheck:
    """Commitment + concrete time in one clause, with no hedge/vague/policy/offer/request veto."""
    guard = _Guard(GuardParams(exclude=p.exclude, unless=p.veto, unless_scope=p.scope, breaks=p.breaks, why=p.why), ctx, loc)
    commit = PatternCheck(ctx.compile(p.commitment, loc + ("commitment",)), _Guard(GuardParams(), ctx, loc), "commitment")
    time = PatternCheck(ctx.compile(p.time, loc + ("time",)), _Guard(GuardParams(), ctx, loc), "time")
    chk = AllOfCheck([commit, time], guard, p.scope, p.questions_are_offers)
    chk.sentence_unless = ctx.compile(p.sentence_veto, loc + ("sentence_veto",))
    if p.veto_before is not None:
        chk.before_unless = ctx.compile(p.veto_before, loc + ("veto_before",))
    if p.conjunctions is not None:
        chk.before_conj = ctx.compile(p.conjunctions, loc + ("conjunctions",))
    if p.time_clause_words is not None:
        chk.time_clause_words = frozenset(normalize_pattern_text(w, ctx.lang) for w in ctx.for_lang(p.time_clause_words))
    if p.time_clause_starts is not None:
        chk.time_clause_starts = tuple(normalize_pattern_text(w, ctx.lang) + " " for w in ctx.for_lang(p.time_clause_starts))
    return chk


def register(registry) -> None:
    """Entry point of the built-in kinds (group ``coach.checks``, name ``builtin``)."""
    registry.register("regex.v1", RegexParams, build_regex)
    registry.register("phrase.v1", PhraseParams, build_phrase)
    registry.register("all_of.v1", AllOfParams, build_all_of)
    registry.register("any_of.v1", AnyOfParams, build_any_of)
    registry.register("time_promise.v1", TimePromiseParams, build_time_promise)
    registry.register("metric_threshold.v1", MetricParams, build_metric)
    registry.register("item.v1", ItemRefParams, build_item_ref)
