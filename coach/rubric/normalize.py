"""Text normalisation for rubric matching: one utterance -> a :class:`Doc`.

Patterns in rubrics are written against the *normalised* text: lowercase words separated by
single spaces, no punctuation, contractions expanded ("don't" -> "do not", "I'll" -> "i will"),
fillers dropped (um, uh, öö, tota, niinku), common speech-recognition artefacts repaired (split
words "in convenience", homophones "weight" -> "wait", "should of", spelt-out numbers in time
phrases) and Finnish spoken forms mapped to standard ones (mä -> minä, "en tiiä" -> "en tiedä",
ymmärän -> ymmärrän, pahottelen -> pahoittelen, huomen -> huomenna).

Every normalised token remembers the character span of the original text it came from, so a
match in the normalised text maps back to a span (and the matched words) of the ORIGINAL text.
Sentence punctuation and commas are remembered as boundaries for clause-scoped checks.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from itertools import accumulate, compress, count
from operator import add, sub
from typing import NamedTuple

from coach.rubric.asr_join import JOIN_FIRST as _FI_JOIN_FIRST, fi_join as _fi_join
from coach.rubric.lexicon import (  # the word tables
    FILLERS, _EN_WORDS, _EN_MERGE, _FI_WORDS, _FI_MERGE, _FI_PREFIX, _NUM_EN, _TIME_NEXT,
    _TIME_PREV, _WELL_VERBS, _PRONOUN_HEAR, _ILL_NOT_AFTER, _WOULD_ASR, _WOULD_NEXT, _DET,
    _IS_ASR, _WEEKDAYS_EN, _OWNED, _IS_NEXT, _YOUR_ARE, _IS_PASSIVE, _OBJECT_START, _WELL_NOT_AFTER, _EN_SPECIAL, _FI_PREFIX_KEYS, _ILL_VERBS,
    _PREP_BEFORE_ITS, _NOT_AFTER_ITS,
    _EN_MERGE_FIRST, _FI_MERGE_FIRST, _HAS_NEXT, _S_WITHOUT_APOSTROPHE, FI_FOLD,
)
from coach.rubric.prefilter import remember_words

WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_WORD_SPLIT = re.compile(r"([^\W_]+(?:['’][^\W_]+)*)")  # split() keeps the words between the gaps
_SENT_PUNCT = re.compile(r"[.!?;:…]")
_QMARK = re.compile(r"\?")
_COMMA = re.compile(r"[,–—()\"]|\s-\s")


class Doc(NamedTuple):
    """A normalised utterance with its map back to the original text (immutable; a named tuple
    because one is built per utterance scored and a tuple is the cheapest to build)."""

    original: str
    text: str  # normalised words joined by single spaces
    lang: str
    tok_nstart: tuple[int, ...]  # start of each normalised token in ``text``
    tok_nend: tuple[int, ...]
    tok_ostart: tuple[int, ...]  # span of the original token it came from
    tok_oend: tuple[int, ...]
    sentence_breaks: tuple[int, ...]  # offsets in ``text`` where a sentence ends (.!?;:)
    comma_breaks: tuple[int, ...]  # offsets where a comma / dash separates clauses
    questions: tuple[int, ...] = ()  # offsets of sentence breaks that were '?'

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) range of ``text`` to the original text."""
        if not self.tok_nstart:
            return (0, 0)
        i = bisect_right(self.tok_nend, start)
        j = bisect_left(self.tok_nstart, end) - 1
        i = min(i, len(self.tok_nstart) - 1)
        j = max(j, i)
        return (self.tok_ostart[i], self.tok_oend[j])

    def units(self, scope: str, extra_breaks: tuple[int, ...] = ()) -> list[tuple[int, int]]:
        """Ranges of ``text`` for a scope: utterance, sentence, statement (sentences joined
        across '?'), or clause (commas + extra)."""
        n = len(self.text)
        if scope == "utterance" or n == 0 or not self.sentence_breaks and (
                scope != "clause" or not self.comma_breaks and not extra_breaks):
            return [(0, n)]  # (no cut: the usual short utterance)
        cuts = set(self.sentence_breaks)
        if scope == "statement":
            cuts.difference_update(self.questions)
        if scope == "clause":
            cuts.update(self.comma_breaks)
            cuts.update(extra_breaks)
        out, prev = [], 0
        for c in sorted(cuts):
            if prev < c <= n:
                out.append((prev, c))
                prev = c
        out.append((prev, n))
        return [(a, b) for a, b in out if b > a]


def _rewrite(tok: str, lang: str) -> str:
    if lang == "fi":
        t = _FI_WORDS.get(tok)
        if t is not None:
            return t
        if tok.endswith(("seks", "nneks")) and len(tok) > 6:
            return tok + "i"  # spoken translative: "kiireelliseks" is "kiireelliseksi", no -ks question
        for old, new in _FI_PREFIX:
            if tok.startswith(old):
                return new + tok[len(old):]
        return tok
    t = _EN_WORDS.get(tok)
    if t is not None:
        return t
    if tok.endswith("n't"):
        return tok[:-3] + " not"
    for suf, rep in (("'ll", " will"), ("'re", " are"), ("'ve", " have"), ("'d", " would")):
        if tok.endswith(suf):
            return tok[: -len(suf)] + rep
    if tok.endswith("'s"):
        return tok[:-2]  # possessive: "courier's" -> "courier"
    return tok


def normalize(text: str, lang: str = "en") -> Doc:
    """Normalise one utterance (cached: the live loop and persona re-score the same text)."""
    return _norm_cached(text, lang if lang in FILLERS else "en")


def _gap_flag(gap: str, prev: str, nxt: str) -> int:
    """0 plain, 1 comma/dash, 2 sentence end, 3 question end (between two tokens)."""
    if gap == " " or not gap:
        return 0
    if gap == ", ":  # (the usual gaps first: what the tests below give them)
        return 0 if prev in _CORRELATIVE and nxt.lower() in ("kun", "ku") else 1
    if gap == ". ":
        return 0 if prev[:1].isdigit() and nxt[:1].islower() else 2
    if "?" in gap:
        return 3
    if _SENT_PUNCT.search(gap):
        if "!" in gap:
            return 2
        if not any(c.isspace() for c in gap):  # 8.30, 3.5.2024, e.g
            return 0
        if prev[:1].isdigit() and nxt[:1].islower():  # "15. toukokuuta"
            return 0
        return 2
    if prev[-1:].isdigit() and nxt[:1].isdigit() and not any(c.isspace() for c in gap):
        return 0  # a decimal comma: "89,99 euroa"
    if prev in _CORRELATIVE and nxt.lower() in ("kun", "ku"):
        return 0  # "heti, kun lopetamme puhelun": Finnish commas a time clause off its "heti"
    return 1 if _COMMA.search(gap) else 0


_CORRELATIVE = {"heti", "sitten", "vasta", "silloin"}  # (lowercased words)
_tuple_new = tuple.__new__

# a necessary condition for a Finnish rewrite (_FI_WORDS aside): a word that starts with one of
# the spoken prefixes or ends in -seks or -nneks (searched in the lowercased text: false alarms only cost time)
_FI_REWRITE = re.compile("(?<![^\\W_])(?:" + "|".join(map(re.escape, _FI_PREFIX_KEYS)) + ")|(?:seks|nneks)(?![^\\W_])")

# Finnish text is matched without its diacritics: speech-recognition output, chat and hurried
# typing often drop them ("en tieda", "ikava kuulla", "neljan tunnin sisalla"), and no rubric
# distinction hangs on a/ä or o/ö. The fold keeps every length, so offsets are unchanged; Finnish
# patterns are folded the same way when compiled (coach.rubric.patterns), with FI_FOLD
# (coach.rubric.lexicon, which also looks up spoken forms written without them).
def fi_fold(text: str) -> str:
    """Finnish text (or a pattern) without diacritics; "välit-" (forward, care, immediate) keeps
    apart from "valit-" (regret, complain): "välitän viestin" is no "valitan" (I regret)."""
    if "ä" not in text and "ö" not in text and "å" not in text:
        return text
    return text.replace("välit", "vaelit").translate(FI_FOLD)


def _normalize(text: str, lang: str) -> Doc:
    en = lang != "fi"
    fillers = FILLERS.get(lang, FILLERS["en"])
    merge = _EN_MERGE if en else _FI_MERGE
    merge_first = _EN_MERGE_FIRST if en else _FI_MERGE_FIRST
    raw_w: list[str] = []
    raw_s: list[int] = []
    raw_e: list[int] = []
    raw_f: list[int] = []
    prev_end = 0
    low = text.lower()
    if len(low) == len(text) and "’" not in text:
        # the usual text: split the lowercased copy (the same spans), no per-word lower()
        parts = _WORD_SPLIT.split(low)  # gap, word, gap, word, ..., gap
        if len(parts) > 1:
            raw_w = parts[1::2]
            offs = list(accumulate(map(len, parts)))  # where each part ends
            raw_e = offs[1::2]
            raw_s = offs[0:-1:2]
            raw_f = [0] * len(raw_w)  # the gap test looks at the original case of the next word
            gaps = parts[2:-1:2]
            if gaps.count(" ") < len(gaps):  # some gap is more than one space
                for i, gap in enumerate(gaps):
                    if gap != " ":
                        raw_f[i + 1] = _gap_flag(gap, raw_w[i], text[raw_s[i + 1]:raw_e[i + 1]])
            prev_end = raw_e[-1]
    else:
        for m in WORD_RE.finditer(text):
            s, e = m.span()
            w = m.group()
            if s - prev_end == 1 and text[prev_end] == " " or not raw_w:
                raw_f.append(0)
            else:
                raw_f.append(_gap_flag(text[prev_end:s], raw_w[-1], w))
            w = w.lower()
            raw_w.append(w.replace("’", "'") if "’" in w else w)
            raw_s.append(s)
            raw_e.append(e)
            prev_end = e
    tail = text[prev_end:]
    # merge split words ("in convenience"), drop fillers (a break before a filler moves on)
    n = len(raw_w)
    if fillers.isdisjoint(raw_w) and merge.keys().isdisjoint(zip(raw_w, raw_w[1:])) and \
            (en or _FI_JOIN_FIRST.isdisjoint(raw_w)):
        tw, ts, te, tf = raw_w, raw_s, raw_e, raw_f  # nothing to merge or drop (the usual case)
    else:
        toks: list[tuple[str, int, int, int]] = []
        i = 0
        carry = 0
        while i < n:
            w, f = raw_w[i], raw_f[i]
            if carry > f:
                f = carry
            if w in merge_first and i + 1 < n and raw_f[i + 1] < 2 and (w, raw_w[i + 1]) in merge:
                toks.append((merge[(w, raw_w[i + 1])], raw_s[i], raw_e[i + 1], f))
                carry = 0
                i += 2
                continue
            if not en and w in _FI_JOIN_FIRST and i + 1 < n and raw_f[i + 1] < 2:
                j = _fi_join(w, raw_w[i + 1])
                if j is not None:
                    toks.append((j, raw_s[i], raw_e[i + 1], f))
                    carry = 0
                    i += 2
                    continue
            if w in fillers:
                carry = f
                i += 1
                continue
            toks.append((w, raw_s[i], raw_e[i], f))
            carry = 0
            i += 1
        tw, ts, te, tf = map(list, zip(*toks)) if toks else ([], [], [], [])
    # rewrite tokens (contractions, ASR repairs, spoken Finnish); a rewrite may give two words
    special = _EN_SPECIAL if en else _FI_WORDS.keys()
    ntok = len(tw)
    owner: list[int] | None = None  # the token of each normalised word, when not one to one
    if tw is raw_w and special.isdisjoint(tw) and "'" not in text and "’" not in text and \
            (en or _FI_REWRITE.search(low) is None):
        words = tw  # (the usual Finnish text: no candidate; not checked word by word)
    else:
        # only the candidates are rewritten (and a merged token split: "en tiedä"); the words
        # between them are copied as they are
        if en:
            cand = [k for k, w in enumerate(tw) if w in special or " " in w] if "'" not in text and "’" not in text \
                else [k for k, w in enumerate(tw) if w in special or "'" in w or " " in w]
        else:
            cand = [k for k, w in enumerate(tw) if w in special or "'" in w or " " in w or
                    w.startswith(_FI_PREFIX_KEYS) or w.endswith(("seks", "nneks"))]
        words = []
        owner = []
        last = 0
        for k in cand:
            if k > last:
                words.extend(tw[last:k])
                owner.extend(range(last, k))
            w = tw[k]
            if w in special or "'" in w or (not en and (w.startswith(_FI_PREFIX_KEYS) or w.endswith(("seks", "nneks")))):
                if en:  # (the word before is the last word written so far: a rewrite may change it)
                    w = _rewrite_en(w, words[-1] if words else "", tw[k + 1] if k + 1 < ntok else "", words,
                                    tw[k + 2] if k + 2 < ntok else "")
                else:
                    w = _rewrite(w, lang)
            if " " in w:
                for part in w.split(" "):
                    words.append(part)
                    owner.append(k)
            else:
                words.append(w)
                owner.append(k)
            last = k + 1
        if last < ntok:
            words.extend(tw[last:])
            owner.extend(range(last, ntok))
        if len(words) == ntok:
            owner = None  # no token became two words
    if not en:
        words = fi_fold(" ".join(words)).split(" ")
    lens = list(map(len, words))
    nend = tuple(map(add, accumulate(lens), count()))  # the words and the single spaces before them
    nstart = tuple(map(sub, nend, lens))  # (tuples at once: the Doc keeps them)
    sbreaks: list[int] = []
    cbreaks: list[int] = []
    qbreaks: list[int] = []
    for k in compress(range(1, ntok), tf[1:]):  # a break before token k (none before the first)
        f = tf[k]
        at = nend[(k if owner is None else bisect_left(owner, k)) - 1]  # the end of the word before
        if f >= 2:
            sbreaks.append(at)
            if f == 3:
                qbreaks.append(at)
        else:
            cbreaks.append(at)
    if "?" in tail and words:
        qbreaks.append(nend[-1])
    if owner is None:
        ostart = tuple(ts)
        oend = tuple(te)
    else:
        ostart = tuple(map(ts.__getitem__, owner))
        oend = tuple(map(te.__getitem__, owner))
    joined = " ".join(words)
    remember_words(joined, words, nstart)
    # (tuple.__new__: what Doc(...) does, without its Python-level __new__)
    return _tuple_new(Doc, (text, joined, lang, nstart, nend, ostart, oend,
                            tuple(sbreaks), tuple(cbreaks), tuple(qbreaks)))


_norm_cached = lru_cache(maxsize=4096)(_normalize)  # (no wrapper function: one call less)


def _rewrite_en(w: str, prev_word: str, nxt: str, words: list[str], nxt2: str = "") -> str:
    if w == "here" and (prev_word in _PRONOUN_HEAR or not prev_word and nxt == "you" and nxt2 in ("loud", "completely", "totally")):
        return "hear"  # "i here you", "here you loud and clear"
    if w == "of" and prev_word in {"should", "could", "would", "must"}:
        return "have"
    if w == "well" and nxt in _WELL_VERBS and prev_word not in _WELL_NOT_AFTER:
        return "we will"
    if w == "ill" and (prev_word not in _ILL_NOT_AFTER or nxt in _ILL_VERBS):
        return "i will"  # "so ill ring you" is "so i'll ring you"; "so ill" alone is being ill
    if w == "no" and prev_word == "not" and len(words) >= 2 and words[-2] == "do":
        return "know"
    if w in ("our", "ours") and prev_word.isdigit():
        return "hours"
    if w == "our" and prev_word in ("the", "an", "half", "next"):
        return "hour"  # "within the our": no determiner comes before "our"
    if w == "write" and prev_word in ("are", "you", "your", "youre", "absolutely", "quite", "so", "totally") and nxt in ("to", "about", "that"):
        return "right"  # "you're write to be upset"
    if w == "wood" and prev_word in ("i", "you", "we", "they", "it", "that", "anyone", "anybody", "who"):
        return "would"
    if w == "were" and prev_word in ("", "so", "and", "okay", "right", "but", "now") and nxt.endswith("ing"):
        return "we are"  # "were sending the car" at the start of a clause is "we're sending"
    if w in ("buy", "bye") and nxt and (nxt[0].isdigit() or nxt in _NUM_EN or nxt in _WEEKDAYS_EN or nxt in {"tomorrow", "tonight", "today", "noon", "the", "end"}):
        return "by"
    if w in _NUM_EN:
        return _NUM_EN[w] if (w != "one" or prev_word in _TIME_PREV or nxt in _TIME_NEXT) else w
    if w == "for":
        return "4" if prev_word in _TIME_PREV else w
    if w in _WOULD_ASR and nxt in _WOULD_NEXT:
        return _WOULD_ASR[w]  # ASR without the apostrophe: "id be livid too" is "i'd be livid too"
    if w in _IS_ASR and len(words) >= 2 and words[-2] in _DET and len(prev_word) > 3 and \
            prev_word[-1] == "s" and prev_word[-2] not in "su":
        words[-1] = prev_word[:-1]  # "the refunds going back" is "the refund's going back"
        return "is " + w
    if w == "passed" and (prev_word in ("quarter", "half", "ten", "twenty", "five") or prev_word.isdigit()) and \
            nxt and (nxt[0].isdigit() or nxt in _NUM_EN):
        return "past"  # ASR "quarter passed three"
    if w == "were" and prev_word in ("minute", "moment", "second", "instant", "as", "once", "when", "until", "till") and \
            nxt in ("off", "done", "finished", "through"):
        return "we are"  # "the minute were off the phone"
    if w in ("its", "it's") and prev_word in _PREP_BEFORE_ITS and nxt not in _NOT_AFTER_ITS:
        return "its"  # "on its way", "in its box": after a preposition "its" is possessive
    if nxt in _HAS_NEXT and (w.endswith("'s") or w in _S_WITHOUT_APOSTROPHE):
        return w.replace("'", "")[:-1] + " has"  # "it's been a long day", "the courier's gone"
    if w == "know" and nxt == "wonder" and prev_word in ("", "so", "oh", "well", "yeah", "and"):
        return "no"  # "know wonder you're fed up"
    if w == "know" and nxt == "need" and prev_word in ("", "oh", "so", "is", "honestly", "really", "and", "but", "well", "absolutely", "yeah", "okay", "ok"):
        return "no"  # "know need to apologise"
    if w == "know" and nxt in ("idea", "clue") and prev_word in ("have", "got", "no", ""):
        return "no"  # "i have know idea"
    if w == "your" and nxt in _YOUR_ARE:
        return "you are"  # "i get that your worried"
    if w in ("are", "there", "you're", "youre") and nxt in _OWNED and prev_word in ("not", "is", "that", "it", "s"):
        return {"are": "our", "there": "their"}.get(w, "your")  # "its not are problem"
    if w.endswith("'s") and w not in _EN_WORDS and (nxt.endswith("ing") or nxt in _IS_NEXT or
                                                     nxt in _IS_PASSIVE and nxt2 not in _OBJECT_START):
        return w[:-2] + " is"  # "courier's coming" (", has" before a participle: see above)
    return _rewrite(w, "en")




def normalize_pattern_text(phrase: str, lang: str) -> str:
    """Normalise a literal phrase the same way as utterances (for phrase.v1 patterns)."""
    return _normalize(phrase, lang).text


def count_words(text: str) -> int:
    """Words as rubric-labels.md counts them: ``[^\\W_]+(?:['’][^\\W_]+)*``."""
    return sum(1 for _ in WORD_RE.finditer(text))
