"""Streaming voice activity detection and end-of-turn decisions.

Three small parts, each testable on its own:

* :class:`StreamingVad` runs the Silero VAD model bundled with faster-whisper over a stream of
  16 kHz samples, 512 samples (32 ms) at a time, keeping the model's recurrent state and its
  64-sample context between calls. Its output equals the whole-file model output.
* :class:`SpeechTracker` turns per-window speech probabilities into speech/silence with
  hysteresis (start above ``threshold`` for ``min_speech`` windows, end below ``neg_threshold``).
* :func:`end_of_turn_wait` is pure policy: from the words heard so far it says how long a
  silence must last before the other party may answer (longer after "and", a filler, digits
  being read out or an unfinished sentence; shorter after a complete sentence or a question).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

SR = 16000
WINDOW = 512  # samples per Silero window (32 ms at 16 kHz)
CONTEXT = 64
WINDOW_S = WINDOW / SR


class StreamingVad:
    """Silero VAD (faster-whisper's bundled ONNX model) over a stream; ~2-4 ms per audio second."""

    def __init__(self):
        from faster_whisper.vad import get_vad_model

        self._model = get_vad_model()
        self.reset()

    def reset(self) -> None:
        self._h = np.zeros((1, 1, 128), np.float32)
        self._c = np.zeros((1, 1, 128), np.float32)
        self._context = np.zeros(CONTEXT, np.float32)
        self._rest = np.zeros(0, np.float32)

    def feed(self, samples: np.ndarray) -> np.ndarray:
        """Speech probability for every complete 512-sample window (leftover samples are kept)."""
        x = np.concatenate([self._rest, np.asarray(samples, np.float32).reshape(-1)])
        n = len(x) // WINDOW
        self._rest = x[n * WINDOW:]
        if n == 0:
            return np.zeros(0, np.float32)
        windows = x[: n * WINDOW].reshape(n, WINDOW)
        contexts = np.vstack([self._context[None], windows[:-1, -CONTEXT:]])
        batch = np.concatenate([contexts, windows], axis=1)
        out, self._h, self._c = self._model.session.run(
            None, {"input": batch, "h": self._h, "c": self._c})
        self._context = windows[-1, -CONTEXT:].copy()
        return np.asarray(out, np.float32).reshape(-1)


@dataclass
class VadChange:
    """Speech started or stopped at ``sample`` (index in the stream)."""

    kind: str  # "start" | "end"
    sample: int


class SpeechTracker:
    """Hysteresis over window probabilities: speech starts after ``min_speech`` windows at or
    above ``threshold``; it ends at the first window below ``neg_threshold`` (the silence timer
    then runs; speech resumes at the next window above ``threshold``)."""

    def __init__(self, threshold: float = 0.5, neg_threshold: float = 0.35, min_speech: int = 2):
        self.threshold, self.neg_threshold, self.min_speech = threshold, neg_threshold, min_speech
        self.in_speech = False
        self.window = 0  # windows seen
        self._run = 0  # consecutive windows above threshold
        self._last_high = 0  # index of the last window at or above threshold
        self.speech_start: int | None = None  # sample where the current/last speech began
        self.silence_start: int | None = None  # sample where the current silence began

    @property
    def sample(self) -> int:
        return self.window * WINDOW

    def push(self, probs) -> list[VadChange]:
        changes: list[VadChange] = []
        for p in np.asarray(probs).reshape(-1):
            start = self.window * WINDOW
            self.window += 1
            if p >= self.threshold:
                self._run += 1
                self._last_high = self.window - 1
            else:
                self._run = 0
            if not self.in_speech:
                if self._run >= self.min_speech:
                    self.in_speech = True
                    self.speech_start = start - (self.min_speech - 1) * WINDOW
                    self.silence_start = None
                    changes.append(VadChange("start", self.speech_start))
            elif p < self.neg_threshold:
                # the speech ended after the last confident window, not where the hysteresis
                # let go of it (saves ~1 window of reaction time)
                self.in_speech = False
                self.silence_start = min(start, (self._last_high + 1) * WINDOW)
                changes.append(VadChange("end", self.silence_start))
        return changes

    @property
    def rising(self) -> bool:
        """A window heard speech but speech is not confirmed yet (the next window decides):
        the agent may be carrying on, so this is no moment to answer."""
        return not self.in_speech and self._run > 0

    def silence_s(self) -> float:
        """Seconds of silence since speech last ended (0 while speaking or before any speech)."""
        if self.in_speech or self.silence_start is None:
            return 0.0
        return (self.sample - self.silence_start) / SR


# --- end-of-turn policy (pure) ---------------------------------------------------------------

WAITS = {  # seconds of silence before the persona may answer
    "question": 0.30,
    "complete": 0.35,  # see docs/practice.md: 0.35 / 0.40 / 0.45 s measured
    "opener": 0.60,  # "Thank you." / "This is Anna." / "I'm so sorry." - more usually follows
    "expects_more": 0.60,  # an empathy statement or apology with no next step yet (live loop)
    "unfinished": 0.85,
    "trailing": 1.20,  # "... and", "... mutta"
    "filler": 1.20,  # "umm", "öö"
    "digits": 1.20,  # reading out a number
    "empty": 1.20,  # nothing recognised yet
}
MIN_INSIDE_TURN_PAUSE = 0.8  # a pause this long inside a turn never triggers a reply

TRAILING = {  # a sentence does not end on these, whatever punctuation ASR adds
    "en": {"and", "but", "or", "because", "with", "to", "the", "a", "an", "of", "if", "for", "my",
           "your", "our", "from", "by", "plus", "than", "whether", "although"},
    "fi": {"ja", "mutta", "tai", "että", "koska", "kun", "jos", "sekä", "eli", "vai", "jotta",
           "vaikka", "ettei"},
}
WEAK_TRAILING = {  # ... nor on these, unless ASR heard a full stop / question mark after them
    "en": {"so", "then", "that", "which", "is", "was", "are", "at", "in", "on", "as", "like",
           "also", "when", "while", "we", "i"},
    "fi": {"niin", "sitten", "myös", "kuin", "on", "oli"},
}
# "end" closes a sentence only as a noun after these ("the end", "in the end") or as a verb
# ("when will it end"); after anything else a final "end" is a misheard "and" ("I checked it end.")
END_NOT_AND = {"the", "an", "this", "that", "its", "no", "dead", "deep", "high", "low", "top", "our",
               "your", "my", "their", "his", "her", "it", "they", "will", "would", "to", "can",
               "could", "should", "must", "does", "did", "then", "soon", "not", "finally", "never"}
# a final "attend" is tiny.en's "and" before a pause ("...but we may attend." for "...between
# 8 and 10, and..."), unless it follows "to" ("you'll need to attend"): agents rarely end a
# sentence on it, and waiting longer once costs less than cutting the agent off
ATTEND_VERB_BEFORE = {"to", "not"}
FILLERS = {"um", "umm", "ummm", "uh", "uhh", "uhm", "erm", "er", "err", "hmm", "hm", "ah", "eh",
           "mm", "mhm", "öö", "ööh", "öh", "tota", "totanoin", "niinku", "noh", "tuota", "äh", "ööm"}
DIGIT_WORDS = {
    "en": {"zero", "oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
           "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
           "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy",
           "eighty", "ninety", "hundred", "thousand", "double", "triple", "dash", "hyphen"},
    "fi": {"nolla", "yksi", "kaksi", "kolme", "neljä", "viisi", "kuusi", "seitsemän", "kahdeksan",
           "yhdeksän", "kymmenen", "sata", "tuhat", "viiva"},
}
AMBIGUOUS_DIGITS = {"one", "oh", "double", "triple", "dash", "hundred", "thousand"}  # need a digit before
# "...number is <up to 3 words>": a number is being read out, even when ASR turned it into words
NUMBER_CUE = re.compile(r"\b(number|no|reference|ref|code|postcode|zip|iban|\w*numero\w*|"
                        r"\w*tunnu\w*|\w*koodi\w*)\s*(is|was|on|oli|:)\s*(\S+\s*){0,3}[.,]?$")
# sentences that usually start a turn rather than end it (greeting, intro, thanks, apology)
OPENERS = {
    "en": re.compile(r"^((good (morning|afternoon|evening)|hello|hi|hey|thanks?( you)?( so much)?( for (calling|waiting|holding|your patience|letting (us|me) know|"
                     r"telling (us|me)|bringing this up|raising this))?|"
                     r"(i'?m|i am|we'?re|we are) (so |very |really |terribly )?sorry( about that| to hear that)?|"
                     r"okay|ok|right|sure|alright|i see|i understand|let me (see|check)( that)?)"
                     r"(,? \w+)?|.*\b(this is \w+( speaking| here)?|\w+ speaking|my name is \w+))$"),
    "fi": re.compile(r"^((hyvää (huomenta|päivää|iltaa)|hei|moi|päivää|kiitos|anteeksi|"
                     r"(olen )?(todella |kovasti )?pahoillani|selvä|okei|ymmärrän|katsotaan|hetkinen)"
                     r"(,? \w+)?|.*\b(\w+ puhelimessa|nimeni on \w+|täällä \w+))$"),
}
_WORD = re.compile(r"[\w'äöåÄÖÅ-]+", re.UNICODE)


def classify_turn_end(text: str, lang: str = "en") -> str:
    """What the words so far say about whether the speaker has finished.

    Returns one of ``question``, ``complete``, ``unfinished``, ``trailing``, ``filler``,
    ``digits``, ``empty`` (keys of :data:`WAITS`)."""
    t = (text or "").strip()
    words = _WORD.findall(t.lower())
    if not words:
        return "empty"
    last = words[-1].strip("-'")
    # digits being read out: a trailing number, digit word, or digit group like "4 5 7" / "457,"
    digit_words = DIGIT_WORDS.get(lang, set()) | DIGIT_WORDS["en"]
    before = words[-2].strip("-'") if len(words) > 1 else ""
    spelled = last in digit_words and (last not in AMBIGUOUS_DIGITS or before in digit_words
                                       or before.isdigit())
    if re.search(r"\d[\d\s,.-]*$", t) or spelled:
        # "...at 5." could be a complete time promise; a lone digit after a full stop is rare
        if not re.search(r"\b(o'clock|pm|am|minutes|hours|days|klo)\.?$", t.lower()):
            return "digits"
    if NUMBER_CUE.search(t.lower()):
        return "digits"  # "the order number is N H ..." - the number is still being read out
    if last in FILLERS:
        return "filler"
    if last in TRAILING.get(lang, TRAILING["en"]):
        return "trailing"  # "... and", "... and..." (the pause after it can be long)
    if lang == "en" and (last == "end" and before not in END_NOT_AND
                         or last == "attend" and before not in ATTEND_VERB_BEFORE):
        return "trailing"  # tiny.en writes a cut-short "and" before a pause as "end" / "attend"
    if t.endswith(("...", "…", "-", "—")):
        return "unfinished"
    if last in WEAK_TRAILING.get(lang, WEAK_TRAILING["en"]) and not t.endswith((".", "!", "?")):
        return "unfinished"
    if t.endswith("?"):
        return "question"
    last_sentence = [x for x in re.split(r"[.!?]+", t) if x.strip()][-1].strip().lower().rstrip(",;:")
    if OPENERS.get(lang, OPENERS["en"]).match(last_sentence):
        return "opener"  # "Thank you." / "I'm really sorry" (with or without the full stop)
    if t.endswith((".", "!")):
        return "complete"
    return "unfinished"


def expects_more(kind: str, text: str, findings, continue_after=("acknowledgement", "apology"),
                 resolved_by=("next_step",)) -> str:
    """Refine a "complete" turn with the rubric findings: agents who have just acknowledged the
    feeling or apologised usually go on to say what happens next (the five-step complaint
    model), often after a breath. So a turn whose last sentence is such a statement, with no
    next step yet, gets the longer "expects_more" wait."""
    if kind != "complete" or not findings:
        return kind
    ids = {getattr(f, "item_id", None) for f in findings}
    if ids & set(resolved_by):
        return kind
    body = text.rstrip().rstrip(".!")
    last_start = max(body.rfind(c) for c in ".!?") + 1
    for f in findings:
        span = getattr(f, "span", None)
        if getattr(f, "item_id", None) in continue_after and span and span[1] > last_start:
            return "expects_more"
    return kind


class PauseLearner:
    """The agent's own pauses between two sentences of one turn, and the wait after a complete
    sentence that follows from them.

    People differ: some leave 0.2 s between sentences, some 0.45 s (as do many synthetic
    voices). A fixed short wait cuts the slow ones off at every full stop; a fixed long one makes
    every reply to the brisk ones late. So the loop reports each pause after a complete sentence
    after which the agent carried on (:meth:`observe`, with the longest silence the end-of-turn
    check saw: below the wait, or the persona would have answered) and each cut-off after a
    complete sentence (a pause the wait was too short for); the wait after a complete sentence
    is then just above the longest of the last ``keep`` such pauses, never below
    ``WAITS["complete"]`` and never above ``cap`` (the waits for unfinished words, digits and
    "and" are longer and stay as they are). A pause seen without a cut-off was shorter than the
    wait, so it raises the wait by at most ``margin``; only a cut-off can raise it more. Pauses
    after openers and questions, whose waits are longer, do not count (on
    the benchmark calls they raised every later wait and cost ~50 ms of median response time
    for no fewer cut-offs)."""

    KIND = "complete"  # the one end-of-turn class whose wait is learnt (and learnt from)

    def __init__(self, keep: int = 4, margin: float = 0.035, cap: float = 0.45):
        self.keep, self.margin, self.cap = keep, margin, cap
        self.pauses: list[float] = []

    def observe(self, pause_s: float) -> None:
        if pause_s > 0:
            self.pauses = (self.pauses + [pause_s])[-self.keep:]

    def wait(self, kind: str, base: float | None = None) -> float:
        """The silence after which a turn whose words end as ``kind`` is over."""
        base = WAITS[kind] if base is None else base
        if kind != self.KIND or not self.pauses:
            return base
        return round(min(self.cap, max(base, max(self.pauses) + self.margin)), 3)


def end_of_turn_wait(text: str, lang: str = "en") -> float:
    """Seconds of silence after which the turn is over, given the words so far."""
    return WAITS[classify_turn_end(text, lang)]


__all__ = ["SR", "WINDOW", "WINDOW_S", "StreamingVad", "SpeechTracker", "VadChange", "WAITS",
           "MIN_INSIDE_TURN_PAUSE", "PauseLearner", "classify_turn_end", "end_of_turn_wait", "expects_more"]
