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
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

from coach.rubric.asr_join import _FI_JOIN, fi_join as _fi_join
from coach.rubric.prefilter import remember_words

WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_SENT_PUNCT = re.compile(r"[.!?;:…]")
_QMARK = re.compile(r"\?")
_COMMA = re.compile(r"[,–—()\"]|\s-\s")

FILLERS = {
    "en": {"um", "umm", "uh", "uhh", "uhm", "erm", "er", "hmm", "hm", "mm", "mmm", "ah"},
    "fi": {"öö", "ööh", "ööö", "äää", "ää", "tota", "totaa", "toota", "totanoin", "niinku",
           "niinkun", "hmm", "hm", "mm", "mmm", "öhm", "tuota noin"},
}

# single-token rewrites (apostrophes already normalised to ')
_EN_WORDS = {
    "weight": "wait", "weights": "waits", "weighting": "waiting", "waited": "waited",
    "dont": "do not", "don't": "do not", "doesnt": "does not", "doesn't": "does not",
    "didnt": "did not", "didn't": "did not", "cant": "can not", "can't": "can not",
    "cannot": "can not", "wont": "will not", "won't": "will not", "isnt": "is not",
    "isn't": "is not", "arent": "are not", "aren't": "are not", "wasnt": "was not",
    "wasn't": "was not", "werent": "were not", "weren't": "were not", "couldnt": "could not",
    "couldn't": "could not", "wouldnt": "would not", "wouldn't": "would not",
    "shouldnt": "should not", "shouldn't": "should not", "havent": "have not",
    "haven't": "have not", "hasnt": "has not", "hasn't": "has not", "hadnt": "had not",
    "hadn't": "had not", "mustn't": "must not", "im": "i am", "i'm": "i am", "ive": "i have",
    "i've": "i have", "i'll": "i will", "i'd": "i would", "youre": "you are",
    "you're": "you are", "youll": "you will", "you'll": "you will", "you've": "you have",
    "youve": "you have", "you'd": "you would", "we're": "we are", "we'll": "we will",
    "we've": "we have", "we'd": "we would", "weve": "we have", "theyre": "they are",
    "they're": "they are", "theyll": "they will", "they'll": "they will", "they've": "they have",
    "thats": "that is", "that's": "that is", "thatll": "that will", "that'll": "that will",
    "its": "it is", "it's": "it is", "itll": "it will", "it'll": "it will",
    "theres": "there is", "there's": "there is", "whats": "what is", "what's": "what is",
    "hes": "he is", "he's": "he is", "she's": "she is", "shes": "she is",
    "lets": "let us", "let's": "let us", "who's": "who is", "where's": "where is",
    "gonna": "going to", "ya": "you", "ain't": "is not", "aint": "is not", "gotta": "got to", "wanna": "want to", "dunno": "do not know",
    "ok": "okay", "apologise": "apologize", "apologised": "apologized",
    "apologising": "apologizing", "apologises": "apologizes", "sec": "second", "secs": "seconds",
    "mins": "minutes", "min": "minute", "hrs": "hours", "hr": "hour", "tmrw": "tomorrow",
    "tomorow": "tomorrow", "tommorow": "tomorrow", "tommorrow": "tomorrow",
    "oclock": "o'clock", "realise": "realize", "sympathise": "sympathize",
    "empathise": "empathize", "organise": "organize", "prioritise": "prioritize",
    "cancelled": "canceled", "emailed": "emailed", "noone": "no one",
}
_EN_MERGE = {
    ("in", "convenience"): "inconvenience", ("in", "conveniences"): "inconveniences",
    ("in", "convenient"): "inconvenient", ("under", "stand"): "understand",
    ("under", "stood"): "understood", ("under", "standing"): "understanding",
    ("under", "standable"): "understandable", ("to", "night"): "tonight",
    ("to", "morrow"): "tomorrow", ("to", "day"): "today", ("a", "pologize"): "apologize",
    ("apolo", "gize"): "apologize", ("apolo", "gies"): "apologies", ("with", "in"): "within",
    ("depart", "meant"): "department", ("depart", "ment"): "department",
    ("e", "mail"): "email", ("frust", "rating"): "frustrating", ("over", "night"): "overnight",
    ("a", "m"): "am", ("p", "m"): "pm", ("o", "clock"): "o'clock", ("no", "body"): "nobody",
    ("any", "thing"): "anything", ("every", "thing"): "everything", ("some", "one"): "someone",
    ("mid", "day"): "midday", ("sun", "day"): "sunday", ("mon", "day"): "monday",
    ("fri", "day"): "friday", ("wednes", "day"): "wednesday", ("night", "mare"): "nightmare",
    ("up", "set"): "upset", ("frus", "trating"): "frustrating", ("dis", "appointing"): "disappointing",
    ("un", "acceptable"): "unacceptable", ("re", "fund"): "refund", ("week", "end"): "weekend",
    ("what", "so", "ever"): "whatsoever", ("some", "where"): "somewhere", ("on", "line"): "online",
    ("any", "where"): "anywhere", ("every", "where"): "everywhere",
}
_FI_WORDS = {
    "mä": "minä", "mie": "minä", "mää": "minä", "emmä": "en minä", "emmää": "en minä", "emmie": "en minä", "tiä": "tiedä", "sä": "sinä", "sie": "sinä", "mun": "minun", "sun": "sinun",
    "mulle": "minulle", "sulle": "sinulle", "multa": "minulta", "sulta": "sinulta",
    "mua": "minua", "sua": "sinua", "mulla": "minulla", "sulla": "sinulla", "musta": "minusta",
    "oon": "olen", "oot": "olet", "ootte": "olette", "meiän": "meidän", "teiän": "teidän",
    "tiiä": "tiedä", "tiijä": "tiedä", "tiedä": "tiedä", "tiiän": "tiedän",
    "ymmärän": "ymmärrän", "ymmärä": "ymmärrä", "ymmärrän": "ymmärrän", "ymmärsin": "ymmärsin",
    "huomen": "huomenna", "huomenn": "huomenna", "tänää": "tänään", "tänäpäivänä": "tänään",
    "anteeks": "anteeksi", "sorry": "sori", "sorri": "sori", "soori": "sori", "kiitti": "kiitos",
    "nii": "niin", "sit": "sitten", "sitte": "sitten", "tää": "tämä", "tän": "tämän",
    "tätä": "tätä", "toi": "tuo", "noi": "nuo", "mut": "mutta", "ku": "kun", "vaa": "vaan",
    "vaan": "vaan", "ihan": "ihan", "mitää": "mitään", "mittään": "mitään", "tuun": "tulen",
    "tullaan": "tullaan", "ollaan": "olemme", "mennää": "mennään", "voidaa": "voidaan",
    "pitäis": "pitäisi", "varmaa": "varmaan", "kello": "kello", "klo": "kello", "ens": "ensi",
    "okei": "okei", "ok": "okei", "oukkei": "okei", "rauhottukaa": "rauhoittukaa",
    "rauhotu": "rauhoitu", "rauhottuu": "rauhoittuu", "vaikee": "vaikea", "vaikeeta": "vaikeaa",
    "kauheeta": "kauheaa", "ikävää": "ikävää", "kurjaa": "kurjaa", "soitetaa": "soitetaan",
    "ite": "itse", "itte": "itse", "oo": "ole", "mul": "minulla", "sul": "sinulla",
    "täys": "täysi", "kahen": "kahden", "yhen": "yhden", "kuuen": "kuuden", "viien": "viiden",
    "yhelt": "yhdeltä", "kahelt": "kahdelta", "kolmelt": "kolmelta", "neljält": "neljältä",
    "viidelt": "viideltä", "viielt": "viideltä", "kuudelt": "kuudelta", "kuuelt": "kuudelta",
    "seittemält": "seitsemältä", "seitsemält": "seitsemältä", "kaheksalt": "kahdeksalta",
    "kahdeksalt": "kahdeksalta", "yheksält": "yhdeksältä", "yhdeksält": "yhdeksältä",
    "ilmotan": "ilmoitan", "ilmotetaan": "ilmoitetaan", "ilmotamme": "ilmoitamme",
    "millon": "milloin", "apuu": "apua", "mäki": "minäkin", "mäkin": "minäkin", "iha": "ihan",
    "oikees": "oikeassa", "sais": "saisi", "aamuks": "aamuksi", "illaks": "illaksi",
    "iltaks": "illaksi", "päiväks": "päiväksi", "huomiseks": "huomiseksi", "vihanen": "vihainen", "vihasia": "vihaisia", "pettyny": "pettynyt",
    "kuullu": "kuullut", "saanu": "saanut", "oikeessa": "oikeassa", "takas": "takaisin",
    "takasin": "takaisin",
    "uus": "uusi", "et": "että", "ettet": "että et", "tollasta": "tuollaista",
    "tollanen": "tuollainen", "tällanen": "tällainen", "kyl": "kyllä", "sillee": "silleen",
    "katon": "katson", "katotaan": "katsotaan", "kattoo": "katsoo", "kattokaa": "katsokaa",
    "haluutte": "haluatte", "haluutteko": "haluatteko", "tarttee": "tarvitsee",
    "tarvii": "tarvitsee", "kaks": "kaksi", "viis": "viisi", "kuus": "kuusi", "seittemän": "seitsemän",
    "kaheksan": "kahdeksan", "yheksän": "yhdeksän", "kymmenelt": "kymmeneltä",
    "mitä": "mitä", "meille": "meille", "sinne": "sinne", "kans": "kanssa", "ens": "ensi",
    "tarkotin": "tarkoitin", "tarkotan": "tarkoitan", "tarkotatte": "tarkoitatte", "tajuun": "tajuan",
    "oisin": "olisin", "ois": "olisi", "oisit": "olisit", "oisitte": "olisitte", "ollu": "ollut",
    "tollasia": "tuollaisia", "tällasia": "tällaisia", "semmosia": "sellaisia", "tämmösiä": "tämmöisiä",
}
_FI_MERGE = {("ikävä", "ä"): "ikävää", ("huomis", "aamuna"): "huomisaamuna",
             ("tänä", "päivänä"): "tänään"}
_FI_PREFIX = (("pahottel", "pahoittel"), ("pahotel", "pahoitel"),
              ("ymmärä", "ymmärrä"), ("oottaa", "odottaa"), ("oota", "odota"),
              ("ootta", "odotta"), ("ootet", "odotet"), ("rauhottu", "rauhoittu"),
              ("rauhotu", "rauhoitu"), ("pahoillan", "pahoillan"))

_NUM_EN = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
           "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
           "fifteen": "15", "twenty": "20", "thirty": "30", "forty": "40", "fourty": "40",
           "forty-five": "45", "fortyfive": "45", "twenty-four": "24", "fourty-eight": "48",
           "forty-eight": "48", "seventy-two": "72", "fifty": "50", "hundred": "100"}
# "one" only becomes 1 next to time words (otherwise "no one", "one moment" stay as words)
_TIME_NEXT = {"am", "pm", "o'clock", "hours", "hour", "days", "day", "minutes", "minute",
              "weeks", "week", "business", "working", "thirty", "fifteen", "forty", "fortyfive"}
_TIME_PREV = {"at", "by", "within", "before", "until", "till", "around", "about", "after"}
_WELL_VERBS = {"send", "call", "ring", "get", "sort", "have", "be", "email", "arrange", "book", "fix",
               "refund", "credit", "process", "need", "make", "text", "post", "ship", "deliver",
               "replace", "pop", "put", "come", "give", "waive", "cancel", "update", "contact",
               "escalate", "reimburse", "pay", "restore", "reconnect", "issue", "courier", "aim", "try"}
_PRONOUN_HEAR = {"i", "to", "we", "can"}
_ILL_NOT_AFTER = {"be", "is", "am", "are", "was", "were", "been", "feel", "felt", "fell", "so",
                  "very", "too", "got", "become", "became", "seriously", "really", "being",
                  "look", "looks", "quite", "mentally", "critically", "an"}


@dataclass(frozen=True)
class Doc:
    """A normalised utterance with its map back to the original text."""

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
        if scope == "utterance" or n == 0:
            return [(0, n)]
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
        if tok.endswith("seks") and len(tok) > 6:
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


@lru_cache(maxsize=4096)
def _norm_cached(text: str, lang: str) -> Doc:
    return _normalize(text, lang)


def normalize(text: str, lang: str = "en") -> Doc:
    """Normalise one utterance (cached: the live loop and persona re-score the same text)."""
    return _norm_cached(text, lang if lang in FILLERS else "en")


def _gap_flag(gap: str, prev: str, nxt: str) -> int:
    """0 plain, 1 comma/dash, 2 sentence end, 3 question end (between two tokens)."""
    if gap == " " or not gap:
        return 0
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
    if prev in _CORRELATIVE and nxt.lower() in ("kun", "ku"):
        return 0  # "heti, kun lopetamme puhelun": Finnish commas a time clause off its "heti"
    return 1 if _COMMA.search(gap) else 0


_CORRELATIVE = {"heti", "sitten", "vasta", "silloin"}  # (lowercased words)


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
        # the usual text: match the lowercased copy (the same spans), no per-word lower()
        raw_w = WORD_RE.findall(low)
        if raw_w:
            gaps = WORD_RE.split(low)  # what lies before, between and after the words
            ends = list(accumulate(len(g) + len(w) for g, w in zip(gaps, raw_w)))
            raw_e = ends
            raw_s = [e - len(w) for e, w in zip(ends, raw_w)]
            raw_f = [0]  # the gap test looks at the original case of the next word
            raw_f += [0 if g == " " else _gap_flag(g, raw_w[i], text[raw_s[i + 1]:ends[i + 1]])
                      for i, g in enumerate(gaps[1:-1])]
            prev_end = ends[-1]
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
    toks: list[tuple[str, int, int, int]] = []
    n = len(raw_w)
    i = 0
    carry = 0
    if merge_first.isdisjoint(raw_w) and fillers.isdisjoint(raw_w) and \
            (en or not any(w[:2] in _FI_JOIN for w in raw_w)):
        toks = list(zip(raw_w, raw_s, raw_e, raw_f))  # nothing to merge or drop (the usual case)
        i = n
    while i < n:
        w, f = raw_w[i], raw_f[i]
        if carry > f:
            f = carry
        if w in merge_first and i + 1 < n and raw_f[i + 1] < 2 and (w, raw_w[i + 1]) in merge:
            toks.append((merge[(w, raw_w[i + 1])], raw_s[i], raw_e[i + 1], f))
            carry = 0
            i += 2
            continue
        if not en and w[:2] in _FI_JOIN and i + 1 < n and raw_f[i + 1] < 2:
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
    words: list[str] = []
    owner: list[int] = []  # index into toks of each normalised word
    sbreaks: list[int] = []
    cbreaks: list[int] = []
    qbreaks: list[int] = []
    flags: list[tuple[int, int]] = []  # (word index, flag) for breaks before a token
    prev_word = ""
    special = _EN_SPECIAL if en else _FI_WORDS
    ntok = len(toks)
    for k in range(ntok):
        w, s, e, f = toks[k]
        if w in special or "'" in w or (not en and (w.startswith(_FI_PREFIX_KEYS) or w[-4:] == "seks")):
            if en:
                w = _rewrite_en(w, prev_word, toks[k + 1][0] if k + 1 < ntok else "", words)
            else:
                w = _rewrite(w, lang)
        if f and words:
            flags.append((len(words), f))
        if " " in w:
            for part in w.split(" "):
                words.append(part)
                owner.append(k)
            prev_word = words[-1]
        else:
            words.append(w)
            owner.append(k)
            prev_word = w
    nend = [c - 1 for c in accumulate([len(w) + 1 for w in words])]
    nstart = [e - len(w) for e, w in zip(nend, words)]
    for wi, f in flags:
        at = nend[wi - 1]
        if f >= 2:
            sbreaks.append(at)
            if f == 3:
                qbreaks.append(at)
        else:
            cbreaks.append(at)
    if "?" in tail and words:
        qbreaks.append(nend[-1])
    ostart = tuple([toks[k][1] for k in owner])
    oend = tuple([toks[k][2] for k in owner])
    joined = " ".join(words)
    remember_words(joined, words, nstart)
    return Doc(text, joined, lang, tuple(nstart), tuple(nend), ostart, oend,
               tuple(sbreaks), tuple(cbreaks), tuple(qbreaks))


def _rewrite_en(w: str, prev_word: str, nxt: str, words: list[str]) -> str:
    if w == "here" and prev_word in _PRONOUN_HEAR:
        return "hear"
    if w == "of" and prev_word in {"should", "could", "would", "must"}:
        return "have"
    if w == "well" and nxt in _WELL_VERBS and prev_word not in _WELL_NOT_AFTER:
        return "we will"
    if w == "ill" and (prev_word not in _ILL_NOT_AFTER or nxt in _WELL_VERBS):
        return "i will"  # "so ill ring you" is "so i'll ring you"; "so ill" alone is being ill
    if w == "no" and prev_word == "not" and len(words) >= 2 and words[-2] == "do":
        return "know"
    if w in ("our", "ours") and prev_word.isdigit():
        return "hours"
    if w == "our" and prev_word in ("the", "an", "half", "next"):
        return "hour"  # "within the our": no determiner comes before "our"
    if w == "write" and prev_word in ("are", "you", "absolutely", "quite", "so", "totally") and nxt in ("to", "about", "that"):
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
    if w == "know" and nxt in ("idea", "clue") and prev_word in ("have", "got", "no", ""):
        return "no"  # "i have know idea"
    if w in ("are", "there", "you're", "youre") and nxt in _OWNED and prev_word in ("not", "is", "that", "it", "s"):
        return {"are": "our", "there": "their"}.get(w, "your")  # "its not are problem"
    if w.endswith("'s") and w not in _EN_WORDS and (nxt.endswith("ing") or nxt in _IS_NEXT):
        return w[:-2] + (" has" if nxt in {"been", "got", "gone"} else " is")  # "courier's coming"
    return _rewrite(w, "en")


_WOULD_ASR = {"id": "i would", "youd": "you would", "theyd": "they would", "itd": "it would"}
_WOULD_NEXT = {"be", "have", "feel", "like", "love", "hate", "say", "need", "suggest", "recommend",
               "imagine", "think", "want", "rather", "probably", "definitely", "also", "never",
               "just", "really", "do", "get", "go", "expect", "appreciate", "prefer", "call", "ring"}
_DET = {"the", "your", "my", "our", "their", "this", "that"}
_IS_ASR = {"going", "coming", "being", "booked", "scheduled", "arranged", "due"}
_WEEKDAYS_EN = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
_OWNED = {"problem", "fault", "department", "responsibility", "issue", "job", "policy", "concern"}
_IS_NEXT = {"been", "got", "gone", "booked", "scheduled", "arranged", "due", "already", "now", "just",
            "being", "on", "out", "back", "going", "not", "really", "so", "very", "in", "with"}
_WELL_NOT_AFTER = _ILL_NOT_AFTER | {"as", "pretty", "working", "it", "that", "this", "done", "very"}
_EN_SPECIAL = set(_EN_WORDS) | set(_NUM_EN) | set(_WOULD_ASR) | _IS_ASR | {"write", "wood", "were", "here", "of", "well", "ill", "no", "our", "ours", "buy", "bye", "for",
                                                "know", "are", "there"}
_FI_PREFIX_KEYS = tuple(old for old, _ in _FI_PREFIX)
_EN_MERGE_FIRST = frozenset(k[0] for k in _EN_MERGE)
_FI_MERGE_FIRST = frozenset(k[0] for k in _FI_MERGE)


def normalize_pattern_text(phrase: str, lang: str) -> str:
    """Normalise a literal phrase the same way as utterances (for phrase.v1 patterns)."""
    return _normalize(phrase, lang).text


def count_words(text: str) -> int:
    """Words as rubric-labels.md counts them: ``[^\\W_]+(?:['’][^\\W_]+)*``."""
    return sum(1 for _ in WORD_RE.finditer(text))
