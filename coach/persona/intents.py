"""What the agent asks or does, found by the persona itself (English and Finnish).

Two kinds of intent:

* fact questions ("can I have your order number?", "mikä on tilausnumeronne?"): a fact keyword
  plus a request cue (a question mark, a question word, "can/could/please", a Finnish -ko/-kö
  question...). ASR text without punctuation works because the cue words are enough.
* behaviours the rubric does not name on its own: ``calm_down`` (also discouraged in the rubric,
  but it angers a customer more than "I don't know"), ``non_apology`` ("sorry if you feel..."),
  ``goodbye`` and ``greeting``.

Patterns are compiled once per :class:`IntentMatcher`; matching a sentence takes microseconds.
"""

from __future__ import annotations

import re
from typing import Iterable, Mapping

# Fact intents: name -> {lang: [regex, ...]} matched against lower-cased text.
BUILTIN_INTENTS: dict[str, dict[str, list[str]]] = {
    "name": {
        "en": [r"\b(your|ur) (full |first |last |sur)?name\b", r"\bwho am i (speaking|talking) (to|with)\b",
               r"\bwho('s| is) (this|calling|speaking)\b", r"\bname (please|on the account|for the account)\b",
               r"\bspell your (sur|last )?name\b", r"\bwhat'?s the name\b"],
        "fi": [r"\bnime(nne|si|änne|äsi|ä)\b", r"\bkenen kanssa (puhun|keskustelen)\b", r"\bkuka (siellä|soittaa|puhuu)\b",
               r"\bkenen nimi(ssä|llä)\b", r"\bnimi\b"],
    },
    "account_number": {
        "en": [r"\baccount (number|no|id|reference)\b", r"\bcustomer (number|id|reference)\b",
               r"\baccount details\b"],
        "fi": [r"\basiakasnumero\w*", r"\basiakastunnu\w*", r"\basiakkuusnumero\w*", r"\bsopimusnumero\w*"],
    },
    "order_number": {
        "en": [r"\border (number|no|id|reference|ref)\b", r"\breference number\b", r"\bbooking (number|reference|ref)\b",
               r"\btracking number\b", r"\bcase number\b", r"\binvoice number\b"],
        "fi": [r"\btilausnumero\w*", r"\btilauksen (numero|tunnu)\w*", r"\bviitenumero\w*", r"\bvarausnumero\w*",
               r"\btilaustunnu\w*", r"\blaskun numero\w*", r"\blaskunumero\w*", r"\bseurantakoodi\w*"],
    },
    "address": {
        "en": [r"\baddress\b", r"\bwhere do you live\b", r"\bpost ?code\b", r"\bzip( code)?\b"],
        "fi": [r"\bosoit(e|tee)\w*", r"\bmissä (te )?asutte\b", r"\bmissä asut\b", r"\bpostinumero\w*"],
    },
    "phone": {
        "en": [r"\b(phone|mobile|contact|callback|call-back|telephone) number\b", r"\bnumber (to|we can|i can) (call|reach)\b",
               r"\bbest number\b"],
        "fi": [r"\bpuhelinnumero\w*", r"\bnumero\w*,? (josta|mistä) (teidät )?tavoit\w*", r"\bkännykkänumero\w*",
               r"\bmihin numeroon\b"],
    },
    "email": {
        "en": [r"\be-?mail\b"],
        "fi": [r"\bsähköposti\w*", r"\bs-?posti\w*", r"\bmeili\w*"],
    },
    "date": {
        "en": [r"\bwhen (did|was|were|exactly|had|has)\b", r"\bwhat (date|day|time) (did|was|were)\b",
               r"\bhow long ago\b", r"\bsince when\b", r"\bhow long has\b", r"\bwhich day\b"],
        "fi": [r"\bmilloin (\w+ ){0,3}(alkoi|alkanut|tapahtui|huomasit\w*|tilasit\w*|ostit\w*|ilmeni|katkesi|sattui|oli|piti)\b",
               r"\bmi(kä|nä) päivä(nä)?\b", r"\bkoska (se |tämä |tuo |vika )?(alkoi|tapahtui|katkesi|tilasit\w*|ostit\w*)\b",
               r"\bmistä (lähtien|asti)\b", r"\bkauanko (se|tämä|vika|ongelma)\b", r"\bkuinka kauan (se|tämä|vika|ongelma)\b"],
    },
    "product": {
        "en": [r"\bwhat (did|have) you (order|ordered|buy|bought|purchase|purchased)\b", r"\bwhich (product|model|item|package|plan)\b",
               r"\bmodel number\b", r"\bwhat (product|item|model|package|plan)\b", r"\bwhat was (it|the item|the product)\b"],
        "fi": [r"\bmitä (te )?(tilasit\w*|ostit\w*)\b", r"\bmikä (tuote|malli|laite|liittymä|paketti)\b",
               r"\btuotteen nim\w*", r"\bmallinumero\w*", r"\bmistä tuotteesta\b", r"\bmikä laite\b"],
    },
    "amount": {
        "en": [r"\bhow much\b", r"\bthe amount\b", r"\bwhat amount\b", r"\bwhat (were|was) you (charged|billed)\b"],
        "fi": [r"\bpaljonko\b", r"\bkuinka (paljon|suuri)\b", r"\bsumma\w*", r"\bmikä (oli )?(summa|hinta|veloitus)\b"],
    },
    "issue": {
        "en": [r"\bwhat (seems to be|is|was) the (problem|issue|matter)\b", r"\bwhat happened\b", r"\bwhat'?s (wrong|the problem|the issue|going on)\b",
               r"\bhow can i help\b", r"\bhow may i help\b", r"\bwhat can i do for you\b", r"\btell me (more|what happened)\b"],
        "fi": [r"\bmikä (on )?(ongelma|vika|hätänä|ongelmana)\b", r"\bmitä (on )?tapahtui\b", r"\bmiten voi(n|sin) (olla avuksi|auttaa)\b",
               r"\bmissä (voin|voisin) auttaa\b", r"\bkerto(kaa|isitteko|isitko) (lisää|mitä)\b", r"\bmikä (on )?tilanne\b"],
    },
}

_REQUEST_CUES = {
    "en": r"\?|\b(what|what's|whats|which|when|where|who|how|can|could|may|would|will you|please|tell me|give me|"
          r"confirm|need|do you have|spell|read me|let me have|go ahead)\b",
    "fi": r"\?|\b\w+(ko|kö)\b|\b(mikä|mitä|mistä|mihin|milloin|koska|kuka|kenen|missä|miten|paljonko|kauanko|"
          r"kertoisit\w*|kertokaa|kerro|voisit\w*|saisin\w*|tarvitsen|tarvitsisin|tarvitaan|vahvistaisit\w*|"
          r"vahvistakaa|sanoisit\w*|sanokaa|antaisit\w*)\b",
}

_BEHAVIOURS: dict[str, dict[str, list[str]]] = {
    "calm_down": {
        "en": [r"\bcalm down\b", r"\bcalm yourself\b", r"\brelax\b", r"\bsettle down\b", r"\bno need to (shout|yell|get (so )?upset)\b",
               r"\bdon'?t (shout|yell|raise your voice)\b", r"\bcool it\b", r"\btake a deep breath\b",
               # joining the anger / scolding the customer reads the same way to them
               r"\b(don'?t|do not) (be|get) (so )?(rude|aggressive|hysterical)\b", r"\bno need to be (so )?rude\b",
               r"\byou'?re being (rude|unreasonable|ridiculous|hysterical)\b", r"\b(don'?t|do not) talk to me like that\b"],
        "fi": [r"\brauhoitu\w*", r"\brauhottu\w*", r"\brauhotu\w*", r"\brauhoitt\w*", r"\bälkää huuta\w*", r"\bälä huuda\b", r"\bei tarvi(tse)? huutaa\b",
               r"\brauhallisesti nyt\b", r"\bottakaa (ihan )?rauhallisesti\b", r"\bhengittäkää syvään\b",
               r"\bälkää puhuko (mulle|minulle) (noin|tuolla tavalla)\b", r"\bette voi puhua (noin|tuolla tavalla)\b",
               r"\bolette (tosi |todella )?(epäkohtelias|hankala|töykeä)\b",
               r"\bei (tarvitse|tarvi) olla (noin |niin )?(epäkohtelias|töykeä|vihainen)\b"],
    },
    "non_apology": {
        "en": [r"\bsorry (if|that) you (feel|felt|think|thought|are|were|'re)\b", r"\bsorry you feel\b",
               r"\bapologi[sz]e if you\b", r"\bsorry if (this|that|it) (upset|offended|bothered)\b"],
        "fi": [r"\b(pahoittelen|anteeksi|olen pahoillani),? jos (koette|koit|koitte|tunnette|tunsit|olette kokeneet|tuntuu)\b",
               r"\bjos (te )?koette niin\b"],
    },
    "goodbye": {
        "en": [r"\bgood ?bye\b", r"\bbye\b", r"\bhave a (nice|good|great|lovely) (day|evening|afternoon|weekend|one)\b",
               r"\btake care\b"],
        "fi": [r"\bnäkemiin\b", r"\bkuulemiin\b", r"\bhei hei\b", r"\bheippa\b", r"\bmoikka\b",
               r"\bhyvää (päivänjatkoa|illanjatkoa|päivän jatkoa|illan jatkoa|viikonloppua|päivää jatkoon)\b"],
    },
    "greeting": {
        "en": [r"\b(hello|hi|hey|good (morning|afternoon|evening)|morning)\b", r"\bthank(s| you) for calling\b", r"\bwelcome to\b",
               r"\b(this|it'?s) \w+ (from|at|speaking)\b", r"\bspeaking\b", r"\byou'?re through to\b", r"\bhow can i help\b"],
        "fi": [r"\b(hei|moi|moikka|terve|huomenta|päivää|iltaa|hyvää (huomenta|päivää|iltaa|iltapäivää))\b",
               r"\bkiitos (kun|että) soit\w*", r"\btervetuloa\b", r"\bpuhelimessa\b", r"\basiakaspalvelu\w*,? \w+\b",
               r"\bmiten voin auttaa\b"],
    },
}


def normalise(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").replace("`", "'").split())


def _compile(patterns: Iterable[str]) -> re.Pattern | None:
    pats = list(patterns)
    return re.compile("|".join(f"(?:{p})" for p in pats)) if pats else None


class IntentMatcher:
    """Compiled intents for one language, plus a scenario's own ``intents:`` (any language)."""

    def __init__(self, lang: str, custom: Mapping[str, Iterable[str]] | None = None):
        self.lang = lang
        facts: dict[str, list[str]] = {k: list(v.get(lang, [])) for k, v in BUILTIN_INTENTS.items()}
        for name, pats in (custom or {}).items():
            facts.setdefault(name, []).extend(pats)
        self._facts = [(name, _compile(p)) for name, p in facts.items() if p]
        self._cue = re.compile(_REQUEST_CUES.get(lang, _REQUEST_CUES["en"]))
        self._behaviours = [(name, _compile(v.get(lang, []))) for name, v in _BEHAVIOURS.items()]

    def facts_asked(self, text: str) -> list[str]:
        """Fact intents the agent asks about, in the order they appear in the utterance."""
        norm = normalise(text)
        if not self._cue.search(norm):
            return []
        hits: list[tuple[int, str]] = []
        for name, rx in self._facts:
            m = rx.search(norm) if rx else None
            if m:
                hits.append((m.start(), name))
        hits.sort()
        return [name for _, name in hits]

    def behaviours(self, text: str) -> set[str]:
        norm = normalise(text)
        return {name for name, rx in self._behaviours if rx is not None and rx.search(norm)}
