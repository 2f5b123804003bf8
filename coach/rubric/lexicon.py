"""Word tables for rubric normalisation (coach.rubric.normalize): fillers, single-word
rewrites and contractions, split-word merges, Finnish spoken forms, spelt-out numbers and the
context sets the English rewrite rules look at. Data only; the rules are in normalize.py."""

from __future__ import annotations

FILLERS = {
    "en": {"um", "umm", "uh", "uhh", "uhm", "erm", "er", "hmm", "hm", "mm", "mmm", "ah"},
    "fi": {"öö", "ööh", "ööö", "äää", "ää", "tota", "totaa", "toota", "totanoin", "niinku",
           "niinkun", "hmm", "hm", "mm", "mmm", "öhm", "tuota noin"},
}

# single-token rewrites (apostrophes already normalised to ')
_EN_WORDS = {
    "weight": "wait", "weights": "waits", "weighting": "waiting", "waited": "waited",
    "dont": "do not", "don't": "do not", "doesnt": "does not", "doesn't": "does not",
    "shouldve": "should have", "couldve": "could have", "wouldve": "would have", "mustve": "must have",
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
    "oclock": "o'clock", "realise": "realize", "sympathise": "sympathize", "recognise": "recognize",
    "recognised": "recognized", "recognising": "recognizing", "realised": "realized", "realising": "realizing",
    "empathise": "empathize", "organise": "organize", "prioritise": "prioritize",
    "cancelled": "canceled", "emailed": "emailed", "noone": "no one", "nowt": "nothing",
}
_EN_MERGE = {
    ("in", "convenience"): "inconvenience", ("in", "conveniences"): "inconveniences",
    ("in", "convenient"): "inconvenient", ("under", "stand"): "understand",
    ("under", "stood"): "understood", ("under", "standing"): "understanding",
    ("under", "standable"): "understandable", ("to", "night"): "tonight", ("to", "nights"): "tonights",
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
    ("any", "where"): "anywhere", ("every", "where"): "everywhere", ("your", "self"): "yourself",
    ("any", "body"): "anybody", ("every", "body"): "everybody", ("some", "body"): "somebody",
    ("a", "pologise"): "apologize", ("a", "pologies"): "apologies", ("a", "pology"): "apology",
    ("you", "tube"): "youtube", ("over", "reacting"): "overreacting", ("over", "react"): "overreact",
}
_FI_WORDS = {
    "mä": "minä", "mie": "minä", "mää": "minä", "emmä": "en minä", "emmää": "en minä", "emmie": "en minä", "tiä": "tiedä", "sä": "sinä", "sie": "sinä", "mun": "minun", "sun": "sinun",
    "mulle": "minulle", "sulle": "sinulle", "multa": "minulta", "sulta": "sinulta",
    "mua": "minua", "sua": "sinua", "mulla": "minulla", "sulla": "sinulla", "musta": "minusta",
    "oon": "olen", "oot": "olet", "ootte": "olette", "meiän": "meidän", "teiän": "teidän",
    "meijän": "meidän", "teijän": "teidän", "teijät": "teidät", "meijät": "meidät",
    "tiiä": "tiedä", "tiijä": "tiedä", "tiijjä": "tiedä", "tiedä": "tiedä", "tiiän": "tiedän",
    "ymmärän": "ymmärrän", "ymmärä": "ymmärrä", "ymmärrän": "ymmärrän", "ymmärsin": "ymmärsin",
    "ymmarran": "ymmärrän", "ymmärran": "ymmärrän", "ymmarrän": "ymmärrän", "ymmaran": "ymmärrän",
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
    "netist": "netistä", "netis": "netissä", "sivuilt": "sivuilta", "jostai": "jostain", "tehä": "tehdä",
    "kattotaan": "katsotaan", "kannattanu": "kannattanut",
    # spoken translatives ("lisäks", "valmiiks") are adverbs, not "-ks" questions
    "lisäks": "lisäksi", "ensiks": "ensiksi", "viimeks": "viimeksi", "aluks": "aluksi", "lopuks": "lopuksi",
    "hetkeks": "hetkeksi", "varmuudeks": "varmuudeksi", "toiseks": "toiseksi", "valmiiks": "valmiiksi",
    "maanantaiks": "maanantaiksi", "tiistaiks": "tiistaiksi", "keskiviikoks": "keskiviikoksi",
    "torstaiks": "torstaiksi", "perjantaiks": "perjantaiksi", "lauantaiks": "lauantaiksi",
    "sunnuntaiks": "sunnuntaiksi", "viikonlopuks": "viikonlopuksi", "avuks": "avuksi", "tolle": "tuolle",
    "ekaks": "ekaksi", "tokaks": "tokaksi", "vikaks": "vikaksi", "viimeiseks": "viimeiseksi",
    "ensimmäiseks": "ensimmäiseksi", "kärkeen": "kärkeen", "valmiiks": "valmiiksi",
    "sellasta": "sellaista", "sellanen": "sellainen", "semmosta": "sellaista", "mittää": "mitään",
    "tietoo": "tietoa", "siit": "siitä", "viel": "vielä", "mnää": "minä", "iltan": "iltana",
    "ymmärettävää": "ymmärrettävää", "ymmärettävä": "ymmärrettävä", "ymmärrettävääki": "ymmärrettävää",
    "kireel": "kireällä", "kireellä": "kireällä", "pikkune": "pieni", "pikkunen": "pieni",
    "tiijän": "tiedän", "laetan": "laitan", "laetetaan": "laitetaan", "huame": "huomenna", "huamen": "huomenna",
    "täs": "tässä", "oikeen": "oikein", "mahan": "mahdan", "vuan": "vaan", "havaintoo": "havaintoa",
    "fattaan": "ymmärrän", "fattaa": "ymmärrä", "snaijaan": "ymmärrän", "snaijaa": "ymmärrä", "snaijaatte": "ymmärrätte", "ottanu": "ottanut",
    # Rauma and old Turku r for d ("mahra", "tiärä"), dropped final -n / -a ("mitää", "mikkä"), "nuin"
    "mahra": "mahda", "mahretaan": "mahdetaan", "mitää": "mitään", "mikkä": "mikään", "nuin": "noin",
    "harmitta": "harmittaa", "suappi": "sappi", "johonki": "johonkin", "jonnekki": "jonnekin", "jonneki": "jonnekin",
    "jolleki": "jollekin", "jollekki": "jollekin", "enpä": "en", "enpäs": "en", "empä": "en",
}
_FI_MERGE = {("ikävä", "ä"): "ikävää", ("huomis", "aamuna"): "huomisaamuna",
             ("tänä", "päivänä"): "tänään", ("ee", "oo"): "ei ole", ("ee", "ole"): "ei ole",
             ("maalis", "kuun"): "maaliskuun", ("huhti", "kuun"): "huhtikuun", ("touko", "kuun"): "toukokuun",
             ("kesä", "kuun"): "kesäkuun", ("heinä", "kuun"): "heinäkuun", ("elo", "kuun"): "elokuun",
             ("syys", "kuun"): "syyskuun", ("loka", "kuun"): "lokakuun", ("marras", "kuun"): "marraskuun",
             ("joulu", "kuun"): "joulukuun", ("tammi", "kuun"): "tammikuun", ("helmi", "kuun"): "helmikuun"}
# Turku and Rauma speech drop the -n of the first person after the pronoun: "mää soita sul huame"
_FI_MERGE.update({(p, v): "minä " + v + "n" for p in ("mää", "mä", "mie", "mnää")
                  for v in ("soita", "laita", "lähetä", "kerro", "hoida", "tee", "korjaa", "tilaa", "varaa", "tarkista",
                            "ymmärrä", "selvitä", "katso", "palauta", "hyvitä", "kysy", "ilmoita", "vaihda", "lupaa",
                            "pyydä", "pahoittele", "pahottele", "hoira", "laeta")})
_FI_MERGE.update({("mää", "hoira"): "minä hoidan", ("mä", "hoira"): "minä hoidan", ("mää", "laeta"): "minä laitan",
                  ("mä", "laeta"): "minä laitan", ("mää", "pahottele"): "minä pahoittelen", ("mä", "pahottele"): "minä pahoittelen"})
_FI_PREFIX = (("pahottel", "pahoittel"), ("pahotel", "pahoitel"),
              ("ymmärä", "ymmärrä"), ("oottaa", "odottaa"), ("oota", "odota"),
              ("ootta", "odotta"), ("ootet", "odotet"), ("rauhottu", "rauhoittu"),
              ("rauhotu", "rauhoitu"), ("pahoillan", "pahoillan"))

# Speech recognisers and hurried typing drop the diacritics ("en tiia", "emma tieda", "pitais"):
# the spoken forms are looked up without them too, except where that spelling is another word
# ("ma" is Monday, "maa" land, "maki" hill, "Emma" a name: "emmä" is joined below, by context).
FI_FOLD = str.maketrans("äöå", "aoa")  # (coach.rubric.normalize folds Finnish text with it)
_FI_NOT_FOLDED = {"ma", "maa", "sa", "maki", "emma", "emmaa"}
for _k, _v in list(_FI_WORDS.items()):
    _f = _k.translate(FI_FOLD)
    if _f != _k and _f not in _FI_WORDS and _f not in _FI_NOT_FOLDED and _v.translate(FI_FOLD) != _f:
        _FI_WORDS[_f] = _v  # (not "mita" -> "mitä": folded again it is the same word, only slower)
_FI_PREFIX += tuple((o.translate(FI_FOLD), n) for o, n in _FI_PREFIX if o.translate(FI_FOLD) != o)
# "emma tieda" is "emmä tiedä" (en minä tiedä) before a verb; "Emma" alone stays a name
_FI_MERGE.update({(e, v): "en minä " + _FI_WORDS.get(v, v) for e in ("emma", "emmaa")
                  for v in ("tieda", "tiedä", "tiia", "tiiä", "tiija", "tiijä", "tia", "tiä", "voi", "osaa", "pysty",
                            "oo", "ole", "kyl", "kylla", "kyllä", "jaksa", "muista", "tajua", "ymmarra", "ymmärrä",
                            "usko", "oikein", "nyt", "yhtaan", "yhtään", "ihan")})

# "in to days" / "within too hours" is two (a merged pair may hold a space: it becomes two words)
_EN_MERGE.update({(t, u): "2 " + u for t in ("to", "too") for u in ("days", "hours", "weeks", "minutes", "months", "working", "business")})
# a spelt-out compound number is one number: "thirty five pounds" is 35, not "the 30"
_EN_MERGE.update({(t, u): str(10 * i + j) for i, t in enumerate(("twenty", "thirty", "forty", "fifty"), 2)
                  for j, u in enumerate(("one", "two", "three", "four", "five", "six", "seven", "eight", "nine"), 1)})
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
# "so ill ask my supervisor" is "so i'll ask" ("well ask the shop" stays a discourse "well")
_ILL_VERBS = _WELL_VERBS | {"ask", "check", "chase", "find", "speak", "follow", "look", "see", "unlock", "unblock",
                            "reset", "move", "transfer", "change", "switch", "activate", "reactivate", "release",
                            "approve", "raise", "log", "add", "remove", "reschedule", "rebook", "order",
                            "phone", "pass", "forward", "organise", "organize", "set", "push", "reverse"}
_PRONOUN_HEAR = {"i", "to", "we", "can"}
_ILL_NOT_AFTER = {"be", "is", "am", "are", "was", "were", "been", "feel", "felt", "fell", "so",
                  "very", "too", "got", "become", "became", "seriously", "really", "being",
                  "look", "looks", "quite", "mentally", "critically", "an"}
_WOULD_ASR = {"id": "i would", "youd": "you would", "theyd": "they would", "itd": "it would", "thatd": "that would",
              "wed": "we would"}
_WOULD_NEXT = {"be", "have", "feel", "like", "love", "hate", "say", "need", "suggest", "recommend",
               "imagine", "think", "want", "rather", "probably", "definitely", "also", "never",
               "just", "really", "do", "get", "go", "expect", "appreciate", "prefer", "call", "ring"}
_DET = {"the", "your", "my", "our", "their", "this", "that"}
_IS_ASR = {"going", "coming", "being", "booked", "scheduled", "arranged", "due"}
_WEEKDAYS_EN = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
_OWNED = {"problem", "fault", "department", "responsibility", "issue", "job", "policy", "concern"}
_IS_NEXT = {"been", "got", "gone", "booked", "scheduled", "arranged", "due", "already", "now", "just",
            "being", "on", "out", "back", "going", "not", "really", "so", "very", "in", "with",
            "at", "for", "ready", "confirmed", "sorted", "fixed", "still"}
# present-for-future passives after 's ("the deposit's released to you that evening"): "is" unless
# an object follows ("the engineer's fitted the part" is "has fitted")
_IS_PASSIVE = {"released", "fitted", "printed", "posted", "sent", "shipped", "dispatched", "delivered",
               "credited", "refunded", "approved", "processed", "installed", "repaired", "replaced", "reconnected"}
_OBJECT_START = {"the", "a", "an", "your", "it", "them", "you", "my", "our", "his", "her", "their", "this",
                 "that", "these", "those", "me", "us", "him", "some", "all", "everything"}
# ASR writes "you're" as "your": before a feeling or a stance word it is "you are"
_YOUR_ARE = {"worried", "upset", "frustrated", "angry", "annoyed", "stressed", "disappointed", "concerned",
             "confused", "furious", "livid", "unhappy", "scared", "anxious", "nervous", "gutted", "fed", "cross",
             "mad", "welcome", "entitled", "understandably", "obviously", "clearly", "absolutely", "not", "going", "coming",
             "perfectly", "fully", "quite", "overreacting", "exaggerating",
             "totally", "completely"}
# "on its way", "in its box": after these prepositions ASR "its"/"it's" is the possessive (not after
# "out": "find out it's broken"), unless a word follows that only "it is" takes
_PREP_BEFORE_ITS = {"on", "in", "of", "with", "by", "from", "into", "onto", "through", "under"}
_NOT_AFTER_ITS = {"been", "not", "a", "an", "the", "going", "so", "very", "really", "just", "gone", "got", "all", "only",
                  "already", "still", "now", "because", "too", "quite", "pretty", "definitely", "probably"}
_HAS_NEXT = {"been", "got", "gone", "had"}  # "it's been" / "the courier's gone": 's is "has"
_S_WITHOUT_APOSTROPHE = {"its", "thats"}  # ASR "its been", "thats got to hurt"
_WELL_NOT_AFTER = _ILL_NOT_AFTER | {"as", "pretty", "working", "it", "that", "this", "done", "very"}
_EN_SPECIAL = set(_EN_WORDS) | set(_NUM_EN) | set(_WOULD_ASR) | _IS_ASR | {"write", "wood", "were", "here", "of", "well", "ill", "no", "our", "ours", "buy", "bye", "for",
                                                "know", "are", "there", "your", "passed"}
_FI_PREFIX_KEYS = tuple(old for old, _ in _FI_PREFIX)
_EN_MERGE_FIRST = frozenset(k[0] for k in _EN_MERGE)
_FI_MERGE_FIRST = frozenset(k[0] for k in _FI_MERGE)
