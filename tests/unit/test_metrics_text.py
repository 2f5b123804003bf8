"""Words, backchannels and questions (coach.metrics_text), table-driven."""

from __future__ import annotations

import pytest

from coach.metrics_text import count_questions, count_words, is_backchannel_text, words

# the examples of shared/rubric-labels.md "Counting words", plus Finnish and edge cases
WORD_CASES = [
    ("don't", 1),
    ("3 pm", 2),
    ("8–12", 2),
    ("I’m sorry, I don't know.", 5),
    ("Pahoittelen viivästystä, hoidan asian tänään.", 5),
    ("snake_case", 2),  # underscore is not part of a word
    ("— … ?!", 0),
    ("", 0),
    ("uh-huh", 2),
    ("Käännyn asiakkaan puoleen klo 14.30", 6),
]


@pytest.mark.parametrize("text,n", WORD_CASES)
def test_count_words(text, n):
    assert count_words(text) == n
    assert len(words(text)) == n


BACKCHANNEL_CASES = [
    ("mm", True),
    ("Mm-hmm.", True),
    ("uh-huh", True),
    ("Okay, right, yeah.", True),
    ("I see.", True),
    ("joo joo", True),
    ("Niin.", True),
    ("aha, selvä", True),
    ("No niin.", True),
    ("okay so the order number is 4411", False),
    ("I see the payment here", False),
    ("Joo, mutta se ei toimi", False),
    ("", False),
    ("...", False),
]


@pytest.mark.parametrize("text,expected", BACKCHANNEL_CASES)
def test_backchannel_text(text, expected):
    assert is_backchannel_text(text) is expected


QUESTION_CASES = [
    # punctuated: question marks decide
    ("How can I help you today?", "en", 1),
    ("Thanks. Could you spell that? And your postcode?", "en", 2),
    ("Really?!", "en", 1),
    ("I can see the order. It left yesterday.", "en", 0),
    ("Could you send it. Thanks.", "en", 0),  # punctuated text is trusted
    # unpunctuated (ASR style): interrogative forms
    ("could you give me your account number", "en", 1),
    ("thanks for calling my name is anna how can i help you today", "en", 1),
    ("do you have the order number", "en", 1),
    ("what's the postcode", "en", 1),
    ("how long have you been waiting", "en", 1),
    ("is there anything else i can do for you", "en", 1),
    ("can you tell me how long it took", "en", 1),  # cues close together: one question
    ("could you read me the number and when did you order it", "en", 2),
    ("i will send the new unit today", "en", 0),
    ("that is it for today", "en", 0),  # aux after a subject is a statement
    ("it was you who called", "en", 0),
    ("", "en", 0),
    # Finnish
    ("Voisitteko kertoa tilausnumeron?", "fi", 1),
    ("voisitteko kertoa tilausnumeron", "fi", 1),
    ("onko teillä tilausnumero", "fi", 1),
    ("mitä tapahtui ja milloin tilasitte", "fi", 2),
    ("eikö se toiminut", "fi", 1),
    ("olisikohan se jo perillä", "fi", 1),
    ("tarkistan asian ja soitan teille tänään", "fi", 0),
    ("verkko ja lukko ovat kunnossa", "fi", 0),  # -kko nouns are not questions
    ("teko oli hyvä", "fi", 0),
    ("Soitan huomenna kello kaksi.", "fi", 0),
]


@pytest.mark.parametrize("text,lang,n", QUESTION_CASES)
def test_count_questions(text, lang, n):
    assert count_questions(text, lang) == n


def test_unknown_language_uses_both_pattern_sets():
    assert count_questions("onko teillä tilausnumero", None) == 1
    assert count_questions("could you spell that", None) == 1
    assert count_questions("onko teillä tilausnumero", "en") == 0
