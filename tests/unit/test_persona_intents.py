"""The persona's own intent matching, English and Finnish (clean and ASR-style text)."""

from __future__ import annotations

import pytest

from coach.persona.intents import IntentMatcher

EN = IntentMatcher("en")
FI = IntentMatcher("fi")


@pytest.mark.parametrize("text,expected", [
    ("Could I have your order number, please?", ["order_number"]),
    ("can i get your account number", ["account_number"]),
    ("who am i speaking with", ["name"]),
    ("what's your full name and the address on the account", ["name", "address"]),
    ("When did this happen?", ["date"]),
    ("what did you order", ["product"]),
    ("how much were you charged", ["amount"]),
    ("what's the best number to reach you on", ["phone"]),
    ("could you spell your email for me", ["email"]),
    ("what seems to be the problem", ["issue"]),
    # statements are not questions
    ("I've found your order number.", []),
    ("I understand your account number is 40221.", []),
    ("I'll call you tomorrow by 5 pm.", []),
])
def test_english_fact_questions(text, expected):
    assert EN.facts_asked(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("Voisitteko kertoa tilausnumeronne?", ["order_number"]),
    ("saisinko asiakasnumeron", ["account_number"]),
    ("kenen kanssa puhun", ["name"]),
    ("mikä on osoitteenne", ["address"]),
    ("Milloin tämä tapahtui?", ["date"]),
    ("mitä te tilasitte", ["product"]),
    ("paljonko teiltä veloitettiin", ["amount"]),
    ("voisitteko antaa puhelinnumeronne", ["phone"]),
    ("mikä on sähköpostiosoitteenne", ["email"]),
    ("mikä on ongelma", ["issue"]),
    ("En tiedä, milloin se korjataan.", []),
    ("Kiitos, tilausnumero löytyi.", []),
])
def test_finnish_fact_questions(text, expected):
    assert FI.facts_asked(text) == expected


@pytest.mark.parametrize("matcher,text,expected", [
    (EN, "Calm down, please.", {"calm_down"}),
    (EN, "sir there's no need to be rude", {"calm_down"}),
    (EN, "I'm sorry if you feel that way.", {"non_apology"}),
    (EN, "Thanks for calling, have a nice day, bye!", {"goodbye", "greeting"}),
    (EN, "Good morning, Nordic Home, Anna speaking.", {"greeting"}),
    (EN, "I'm so sorry about the wait.", set()),
    (FI, "Rauhoittukaa nyt.", {"calm_down"}),
    (FI, "rauhotu ny", {"calm_down"}),
    (FI, "Pahoittelen, jos koette niin.", {"non_apology"}),
    (FI, "Kiitos soitosta, hyvää päivänjatkoa, kuulemiin.", {"goodbye"}),
    (FI, "Hyvää huomenta, Kuitunet, Tomi puhelimessa.", {"greeting"}),
    (FI, "Olen todella pahoillani.", set()),
])
def test_behaviours(matcher, text, expected):
    assert matcher.behaviours(text) == expected


def test_custom_intents_from_the_scenario():
    m = IntentMatcher("en", {"router": [r"\blights?\b.*\brouter\b"]})
    assert m.facts_asked("What lights do you see on the router?") == ["router"]
    assert m.facts_asked("Please restart the router.") == []
