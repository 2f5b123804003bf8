"""Text side of the conversation metrics: words, backchannels and questions (English, Finnish).

Pure functions on strings. The word definition is the one in ``shared/rubric-labels.md``
("Counting words"): a word is a token matching ``[^\\W_]+(?:['’][^\\W_]+)*``.
"""

from __future__ import annotations

import re

WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def words(text: str) -> list[str]:
    """The words of ``text`` (lowercased), by the project's word definition."""
    return [w.lower() for w in WORD_RE.findall(text or "")]


def count_words(text: str) -> int:
    return len(WORD_RE.findall(text or ""))


# ---------------------------------------------------------------- backchannels
# Listener tokens and fillers: a unit made only of these is not a turn (it neither ends the
# other party's stretch nor counts as a speaker switch or an interruption).
BACKCHANNEL_WORDS: frozenset[str] = frozenset(
    """
    mm mmm mhm mmhm hmm hm uh um umm er erm ah oh huh aha ahaa okay ok okey kay right alright
    yeah yea yes yep yup sure exactly really wow true gotcha cool fine
    joo juu niin nii selvä selvästi okei ok jaa ai aijaa aa kyllä just justiinsa
    totta tosiaan hyvä öö ää tota tuota niinku
    """.split()
)
# multi-word backchannels (removed before the single-word test); tokens as ``words`` yields them
BACKCHANNEL_PHRASES: tuple[tuple[str, ...], ...] = tuple(
    tuple(p.split())
    for p in (
        "uh huh", "mm hmm", "i see", "got it", "all right", "of course", "that's right",
        "no niin", "ai jaa", "just niin", "niin just", "ai niin", "aivan niin", "ahaa okei",
    )
)


def is_backchannel_text(text: str, vocab: frozenset[str] = BACKCHANNEL_WORDS) -> bool:
    """True when ``text`` has words and all of them are listener tokens ("mm", "okay", "joo")."""
    toks = words(text)
    if not toks:
        return False
    rest: list[str] = []
    i = 0
    while i < len(toks):
        for ph in BACKCHANNEL_PHRASES:
            if tuple(toks[i : i + len(ph)]) == ph:
                i += len(ph)
                break
        else:
            rest.append(toks[i])
            i += 1
    return all(t in vocab for t in rest)


# ---------------------------------------------------------------- questions
_EN_WH = r"what|when|where|which|who|whom|whose|why|how"
_EN_AUX = (
    r"is|are|was|were|am|do|does|did|can|could|would|will|should|shall|may|might|have|has|had|"
    r"isn['’]t|aren['’]t|wasn['’]t|don['’]t|doesn['’]t|didn['’]t|can['’]t|couldn['’]t|"
    r"wouldn['’]t|won['’]t|shouldn['’]t|haven['’]t|hasn['’]t"
)
_EN_PRON = r"you|i|we|they|he|she|it|that|this|there|your|anyone|anybody|anything|everything"
_EN_CUES = re.compile(
    rf"\b(?:(?:{_EN_WH})\s+(?:{_EN_AUX})\b"  # "how can", "what is", "when did"
    rf"|(?:{_EN_WH})['’](?:s|re|d|ll)\b"  # "what's", "how'd"
    rf"|how\s+(?:much|many|long|often|soon|far|old)\b|what\s+time\b"
    rf"|(?<![\w'’])(?P<aux>{_EN_AUX})\s+(?:{_EN_PRON})\b)",  # "could you", "do you", "is there"
    re.IGNORECASE,
)
# an auxiliary right after one of these is a statement ("that is it", "it was you")
_EN_SUBJECTS = frozenset("i you we they he she it that this there which who what".split())

_FI_WH = frozenset(
    """
    mikä mitä minkä missä mistä mihin millä miltä mille milloin miten miksi mikset miksette kuka
    kenen kenelle keneltä ketä kuinka kumpi kumman montako paljonko millainen millaista
    minkälainen minkälaista minne mites mikäs mitäs missäs monelta moneltako
    """.split()
)
_FI_CLITIC = re.compile(r"^[^\W\d_]{2,}(?:ko|kö)(?:s|han|hän)?$")
_FI_NOT_QUESTION = frozenset(
    """
    teko jako rako pako lako sako tako hako vako kauko ruoko risko disko fiasko kiosko alko
    marko tokio eko
    """.split()
)

_CLUSTER_TOKENS = 4  # cues whose starts are this close (in words) are one question...
_CONJUNCTIONS = frozenset("and or but also then ja tai sekä entä vai mutta".split())  # ...unless


def _cluster(positions: list[int], toks: list[str]) -> int:
    count, last = 0, None
    for p in sorted(set(positions)):
        if (
            last is None
            or p - last > _CLUSTER_TOKENS
            or any(t in _CONJUNCTIONS for t in toks[last + 1 : p])
        ):
            count += 1
        last = p
    return count


def _token_index(text: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group(0).lower()) for m in WORD_RE.finditer(text)]


def _en_cues(text: str) -> list[int]:
    toks = _token_index(text)
    starts = [s for s, _ in toks]
    out = []
    for m in _EN_CUES.finditer(text):
        k = _nearest(starts, m.start())
        if m.group("aux") is not None and k > 0 and toks[k - 1][1] in _EN_SUBJECTS:
            continue
        out.append(k)
    return out


def _nearest(starts: list[int], pos: int) -> int:
    import bisect

    return max(0, bisect.bisect_right(starts, pos) - 1)


def _fi_cues(text: str) -> list[int]:
    out = []
    for k, (_, w) in enumerate(_token_index(text)):
        if w in _FI_WH:
            out.append(k)
        elif (
            _FI_CLITIC.match(w)
            and w not in _FI_NOT_QUESTION
            and not re.search(r"kk(?:o|ö)(?:s|han|hän)?$", w)
        ):
            out.append(k)
    return out


def count_questions(text: str, lang: str | None = "en") -> int:
    """Questions in one utterance.

    Punctuated text: the sentences ending in "?" ("Really?!" is one). Unpunctuated text (speech
    recognition style): interrogative forms — English wh-word + auxiliary, "how much/long",
    auxiliary + pronoun ("could you", "do you", "is there"); Finnish question words (mikä, mitä,
    milloin, miten...) and the -ko/-kö clitic ("onko", "voisitteko", "eikö"). Cues within four
    words of each other count as one question.
    """
    if not text or not text.strip():
        return 0
    if re.search(r"[.!?…]", text):
        return len(re.findall(r"\?+(?:[!?]*)", text))
    cues: list[int] = []
    if lang != "fi":
        cues += _en_cues(text)
    if lang != "en":
        cues += _fi_cues(text)
    return _cluster(cues, [w for _, w in _token_index(text)])


__all__ = [
    "WORD_RE", "words", "count_words", "BACKCHANNEL_WORDS", "BACKCHANNEL_PHRASES",
    "is_backchannel_text", "count_questions",
]
