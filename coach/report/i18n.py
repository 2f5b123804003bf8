"""The report's own words in English and Finnish (the rubric supplies item titles/feedback)."""

from __future__ import annotations

UI: dict[str, dict[str, str]] = {
    "en": {
        "eyebrow": "Call assessment", "agent": "Agent", "date": "Date", "language": "Language",
        "length": "Length", "model": "Speech model", "items_of": "{passed} of {countable} items",
        "critical": "Critical", "checklist": "Checklist", "tag_critical": "critical",
        "tag_avoid": "to avoid", "tag_na": "n/a", "pts": "pts", "timeline": "Timeline",
        "hit": "rubric item hit", "avoid": "phrase to avoid", "silence": "long silence",
        "interruption": "interruption", "no_timeline": "No timing in this input, so there is no timeline.",
        "talk_ratio": "Talk ratio", "no_talk": "Talk ratio unavailable.", "conversation": "Conversation",
        "transcript": "Transcript", "click_hint": "click a line to play it", "todo": "What to work on",
        "all_good": "Every item was covered. Well done.", "made": "made",
        "v_fail": "Critical item missed", "v_good": "Strong call", "v_ok": "Room to improve",
        "v_poor": "Needs coaching",
        "m_talk": "Agent talk", "m_talk_h": "best calls ≈43%, typical 65–75%",
        "m_words": "Agent words", "m_words_h": "share of all words (no timing)",
        "m_mono": "Longest monologue", "m_mono_h": "agent, uninterrupted",
        "m_story": "Longest customer story", "m_story_h": "longer is usually better",
        "m_silence": "Longest silence", "m_int": "Interruptions", "m_int_h": "agent over customer",
        "m_pat": "Patience", "m_pat_h": "pause before answering", "m_inter": "Interactivity",
        "m_inter_h": "speaker switches", "m_q": "Agent questions", "m_pace": "Agent pace",
        "share_time": "Share of talk time", "share_words": "Share of words",
        "best": "best calls ≈43%", "typical": "typical reps 65–75%", "silence_s": "{s:.0f}s silence",
    },
    "fi": {
        "eyebrow": "Puhelun arviointi", "agent": "Asiakaspalvelija", "date": "Päivä", "language": "Kieli",
        "length": "Kesto", "model": "Puheentunnistus", "items_of": "{passed}/{countable} kohtaa",
        "critical": "Kriittinen", "checklist": "Tarkistuslista", "tag_critical": "kriittinen",
        "tag_avoid": "vältä", "tag_na": "ei koske", "pts": "p", "timeline": "Aikajana",
        "hit": "kohta täyttyi", "avoid": "vältettävä ilmaus", "silence": "pitkä hiljaisuus",
        "interruption": "päälle puhuminen", "no_timeline": "Syötteessä ei ole aikoja, joten aikajanaa ei ole.",
        "talk_ratio": "Puheosuus", "no_talk": "Puheosuutta ei voi laskea.", "conversation": "Keskustelu",
        "transcript": "Litterointi", "click_hint": "kuuntele klikkaamalla riviä", "todo": "Kehitettävää",
        "all_good": "Kaikki kohdat täyttyivät. Hienoa!", "made": "tehty",
        "v_fail": "Kriittinen kohta puuttuu", "v_good": "Vahva puhelu", "v_ok": "Parannettavaa",
        "v_poor": "Tarvitsee valmennusta",
        "m_talk": "Asiakaspalvelijan puhe", "m_talk_h": "parhaat ≈43 %, tavallisesti 65–75 %",
        "m_words": "Asiakaspalvelijan sanat", "m_words_h": "osuus kaikista sanoista (ei aikoja)",
        "m_mono": "Pisin yksinpuhelu", "m_mono_h": "asiakaspalvelija, keskeytyksettä",
        "m_story": "Asiakkaan pisin kertomus", "m_story_h": "pidempi on yleensä parempi",
        "m_silence": "Pisin hiljaisuus", "m_int": "Keskeytykset", "m_int_h": "asiakkaan päälle",
        "m_pat": "Kärsivällisyys", "m_pat_h": "tauko ennen vastausta", "m_inter": "Vuorovaikutus",
        "m_inter_h": "puhujanvaihdot", "m_q": "Kysymykset", "m_pace": "Puhenopeus",
        "share_time": "Osuus puheajasta", "share_words": "Osuus sanoista",
        "best": "parhaat ≈43 %", "typical": "tavallisesti 65–75 %", "silence_s": "{s:.0f} s hiljaa",
    },
}


def ui(lang: str) -> dict[str, str]:
    return UI.get(lang, UI["en"])
