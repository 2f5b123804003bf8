"""Every rule and example of ../shared/rubric-labels.md as a table: utterance, lang, expected labels.

The four core items of the built-in complaint-handling rubric must give exactly these labels
(other items such as greeting/thanks are ignored here).
"""

from __future__ import annotations

import pytest

from coach.rubric import labels, load_rubric

CORE = {"acknowledgement", "apology", "next_step", "discouraged"}
ACK, APO, NEX, DIS = "acknowledgement", "apology", "next_step", "discouraged"

CASES = [
    # A1 feelings / burden
    ("I understand how frustrating that is", "en", {ACK}),
    ("that sounds really stressful", "en", {ACK}),
    ("Ymmärrän, että tämä harmittaa", "fi", {ACK}),
    ("Kuulostaa todella ikävältä", "fi", {ACK}),
    # A2 validation / perspective-taking
    ("You have every right to be angry", "en", {ACK}),
    ("No wonder you're fed up", "en", {ACK}),
    ("I'd be annoyed too", "en", {ACK}),
    ("You're right, that isn't good enough", "en", {ACK}),
    ("Ei ihme, että hermo meinaa mennä", "fi", {ACK}),
    # A3 bare empathy tokens
    ("I completely understand", "en", {ACK}),
    ("I totally get it", "en", {ACK}),
    ("I hear you", "en", {ACK}),
    ("Ymmärrän hyvin", "fi", {ACK}),
    ("joo ymmärrän mut…", "fi", {ACK}),
    # A4 no
    ("I understand your account number is 40221", "en", set()),
    ("Ymmärsinkö oikein, että tilaus on kahdesti laskulla?", "fi", set()),
    ("Ymmärrän, eli osoite on Hämeenkatu 5", "fi", set()),
    ("I understand you'd like to cancel", "en", set()),
    ("I see", "en", set()),
    ("right", "en", set()),
    ("selvä", "fi", set()),
    ("I can see the payment", "en", set()),
    ("Näen täältä", "fi", set()),
    ("I hear an echo", "en", set()),
    ("Thanks for your patience", "en", set()),
    ("Kiitos kärsivällisyydestänne", "fi", set()),
    ("sorry to hear that", "en", {APO}),
    # P1 regret
    ("Sorry for the delay.", "en", {APO}),
    ("I apologise for the mix-up.", "en", {APO}),
    ("Apologies for the wait.", "en", {APO}),
    ("We regret the inconvenience.", "en", {APO}),
    ("forgive me, I quoted the old price", "en", {APO}),
    ("I owe you an apology", "en", {APO}),
    ("pahoittelen", "fi", {APO}),
    ("pahoittelut", "fi", {APO}),
    ("olen pahoillani", "fi", {APO}),
    ("anteeksi, että jouduitte odottamaan", "fi", {APO}),
    ("sori tosta", "fi", {APO}),
    ("sorry for any inconvenience", "en", {APO}),
    # P2
    ("Sorry to hear that", "en", {APO}),
    ("ikävä kuulla", "fi", {APO}),
    ("harmi kuulla", "fi", {APO}),
    ("Harmittaa puolestanne", "fi", {ACK}),
    ("kuulostaa ikävältä", "fi", {ACK}),
    ("onpa ikävä tilanne", "fi", {ACK}),
    # P3 softening sorry
    ("I'm sorry, but we can't refund a used gift card", "en", {APO}),
    ("sorry, no idea", "en", {APO, DIS}),
    ("Sori, en mä voi tälle mitään", "fi", {APO, DIS}),
    # P4 no
    ("Sorry, could you repeat that?", "en", set()),
    ("Sorry, can you spell that?", "en", set()),
    ("Sorry, just one second", "en", set()),
    ("sorry to interrupt", "en", set()),
    ("sorry, I mean the 14th", "en", set()),
    ("excuse me", "en", set()),
    ("I'm afraid that's not possible.", "en", set()),
    ("unfortunately the shop is closed", "en", set()),
    ("valitettavasti tuote on loppu", "fi", set()),
    ("no need to apologise", "en", set()),
    ("did the driver apologise?", "en", set()),
    ("Ei tarvitse pyydellä anteeksi", "fi", set()),
    ("Sorry for keeping you on hold so long", "en", {APO}),
    # N1 yes: commitment + action + concrete time
    ("The parcel goes out today.", "en", {NEX}),
    ("asentaja tulee keskiviikkona", "fi", {NEX}),
    ("I'll call you back at 3 pm.", "en", {NEX}),
    ("We'll send the refund tomorrow.", "en", {NEX}),
    ("I'll fix it tonight.", "en", {NEX}),
    ("We'll restore it within 4 hours.", "en", {NEX}),
    ("I'll email it by end of day.", "en", {NEX}),
    ("I'll send the form right after this call.", "en", {NEX}),
    ("The credit appears on your next bill.", "en", {NEX}),
    ("Hyvitys näkyy seuraavassa laskussa.", "fi", {NEX}),
    # N2 no: hedges, vague timing, no time
    ("It might arrive tomorrow.", "en", set()),
    ("Maybe we can send it Friday.", "en", set()),
    ("It'll probably go out Monday.", "en", set()),
    ("Hopefully it's fixed by tonight.", "en", set()),
    ("It should arrive Friday.", "en", set()),
    ("I'll try to call you tomorrow.", "en", set()),
    ("Sen pitäisi tulla huomenna.", "fi", set()),
    ("Varmaan huomenna.", "fi", set()),
    ("Yritän soittaa huomenna.", "fi", set()),
    ("We'll sort it soon.", "en", set()),
    ("We'll do it as soon as possible.", "en", set()),
    ("We'll look at it at some point.", "en", set()),
    ("I'll call you when I hear something.", "en", set()),
    ("Korjaamme sen pian.", "fi", set()),
    ("Palaan asiaan jossain vaiheessa.", "fi", set()),
    ("Ilmoitan, kun tiedän enemmän.", "fi", set()),
    ("We will call you.", "en", set()),
    ("Palaan asiaan.", "fi", set()),
    # N3 no
    ("Refunds normally take 3–5 days.", "en", set()),
    ("Toimitus kestää yleensä viikon.", "fi", set()),
    ("I sent it yesterday.", "en", set()),
    ("let me check", "en", set()),
    ("one moment", "en", set()),
    ("putting you through now", "en", set()),
    ("hetki, tarkistan", "fi", set()),
    ("Could you send a photo by Friday?", "en", set()),
    ("Would you like me to call tomorrow?", "en", set()),
    # N4 conditional commitment
    ("Once your photo comes in, I'll approve it the same day.", "en", {NEX}),
    # D1 ignorance
    ("I don't know", "en", {DIS}),
    ("no idea", "en", {DIS}),
    ("I'm not sure", "en", {DIS}),
    ("I couldn't tell you", "en", {DIS}),
    ("your guess is as good as mine", "en", {DIS}),
    ("En tiedä", "fi", {DIS}),
    ("En ole varma", "fi", {DIS}),
    ("en osaa sanoa", "fi", {DIS}),
    ("vaikea sanoa", "fi", {DIS}),
    # D2 ownership exception
    ("I don't know yet, but I'll find out and call you by 2 pm.", "en", {NEX}),
    ("I'm not sure, let me check right now.", "en", set()),
    ("I don't know yet, but I'll find out.", "en", set()),
    ("I don't know why it failed, but a new unit arrives tomorrow.", "en", {NEX}),
    # D3 deflection / vague redirection
    ("that's not my department", "en", {DIS}),
    ("that's the courier's problem", "en", {DIS}),
    ("contact the manufacturer yourself", "en", {DIS}),
    ("Se ei kuulu meidän osastolle", "fi", {DIS}),
    ("it's probably online somewhere", "en", {DIS}),
    ("google it", "en", {DIS}),
    ("check the app or something", "en", {DIS}),
    ("Varmaan löytyy netistä", "fi", {DIS}),
    # D4 giving up / dismissing
    ("There's nothing I can do", "en", {DIS}),
    ("it's out of my hands", "en", {DIS}),
    ("Calm down", "en", {DIS}),
    ("Rauhoittukaa nyt", "fi", {DIS}),
    ("En mä voi tälle mitään", "fi", {DIS}),
    # D5 no
    ("I don't know if this helps, but the form is in the app.", "en", set()),
    ("If you're not sure about the model, it's on the sticker.", "en", set()),
    ("the form is under Returns, third link; I'll stay on the line", "en", set()),
    ("I'm sure we can sort this out", "en", set()),
    # ASR-style text (G3)
    ("sorry about the weight", "en", {APO}),
    ("um im really sorry for the in convenience", "en", {APO}),
    ("i completely under stand", "en", {ACK}),
    ("i here you", "en", {ACK}),
    ("not really my depart meant", "en", {DIS}),
    ("ill call you back to night", "en", {NEX}),
    ("i will call you at two pm", "en", {NEX}),
    ("it should of arrived by now", "en", set()),
    ("öö pahottelen tosi paljon", "fi", {APO}),
    ("tota ymmärän et tää harmittaa", "fi", {ACK}),
    ("en tiiä", "fi", {DIS}),
    ("mä lähetän sen huomen", "fi", {NEX}),
    ("niinku sori et jouduitte oottaan", "fi", {APO}),
]


@pytest.fixture(scope="module")
def rubric():
    return load_rubric("complaint-handling")


@pytest.mark.parametrize("text,lang,expected", CASES, ids=[f"{c[1]}:{c[0][:40]}" for c in CASES])
def test_labels_follow_the_guide(rubric, text, lang, expected):
    assert labels(text, rubric, lang) & CORE == expected
