"""Transcript readers: JSON, WebVTT, SRT, plain text, practice-session events, WAV repair."""

import json
import struct
import wave

import numpy as np
import pytest

from coach.errors import InputError
from coach.transcript_io import read_events, read_session, read_transcript, repair_wav_header


def test_json_reads_turns_times_and_lang(data_dir):
    tr = read_transcript(data_dir / "assess" / "call_en.json")
    assert tr.lang == "en" and len(tr.turns) == 7
    assert tr.turns[0].speaker == "agent" and tr.turns[1].speaker == "customer"
    assert tr.turns[4].start == 17.5 and tr.turns[4].end == 25.0
    assert tr.duration == 31.0


def test_vtt_voice_tags_and_continuation(data_dir):
    tr = read_transcript(data_dir / "assess" / "call_en.vtt")
    assert [t.speaker for t in tr.turns] == ["agent", "customer", "agent", "agent"]
    assert tr.turns[2].text == "I'm so sorry for the delay."
    assert tr.turns[1].start == pytest.approx(4.6) and tr.turns[3].end == pytest.approx(16.0)


def test_srt_prefixes_and_brackets(data_dir):
    tr = read_transcript(data_dir / "assess" / "call_en.srt")
    assert [t.speaker for t in tr.turns] == ["agent", "customer", "agent"]
    assert tr.turns[2].start == pytest.approx(70.4)
    assert tr.turns[0].text == "Hello, thank you for calling Acme support."


def test_finnish_text_prefixes_continuations_and_lang(data_dir):
    tr = read_transcript(data_dir / "assess" / "call_fi.txt")
    assert tr.lang == "fi"
    assert [t.speaker for t in tr.turns] == ["agent", "customer", "agent", "customer"]
    assert tr.turns[2].text == "Pahoittelen viivästystä. Ymmärrän, että tämä harmittaa."
    assert not tr.turns[0].timed and tr.duration is None


@pytest.mark.parametrize("content, problem", [
    ('{"lang": "en", "turns": [{"speaker": "agent", "txt": "hi"}]}', "unknown field(s) txt"),
    ('{"lang": "en", "turns": [{"speaker": "boss", "text": "hi"}]}', "unknown speaker label 'boss'"),
    ('{"lang": "en", "turns": [{"speaker": "agent", "text": "  "}]}', "empty turn"),
    ('{"lang": "en", "turns": []}', "no turns"),
    ('{"lang": "sv", "turns": [{"speaker": "agent", "text": "hej"}]}', "lang must be one of"),
    ('{"lang": "en", "turns": [{"speaker": "agent", "text": "hi", "start": 3, "end": 1}]}', "before start"),
    ('{"lang": "en", "turns": [{"speaker": "agent", "text": "hi", "start": "0:01", "end": 2}]}', "must be a number"),
    ('{"lang": "en", "turns": {"speaker": "agent"}}', "'turns' must be a list"),
    ('{"lang": "en", "turns": [', "bad JSON at line 1"),
    ('[1, 2]', "must be an object"),
])
def test_bad_json_names_file_and_problem(tmp_path, content, problem):
    p = tmp_path / "bad.json"
    p.write_text(content)
    with pytest.raises(InputError) as e:
        read_transcript(p)
    assert problem in str(e.value) and e.value.path == str(p)


@pytest.mark.parametrize("name, content, problem", [
    ("a.txt", "Agent: hi\nManager: hello\n", "line 2: unknown speaker label 'Manager'"),
    ("b.txt", "hello there\nAgent: hi\n", "line 1: no speaker prefix"),
    ("c.txt", "Agent:\n", "empty turn"),
    ("d.vtt", "WEBVTT\n\n00:00.000 --> 00:01.000\nno speaker here\n", "no speaker"),
    ("e.vtt", "not a vtt\n", "first line must be WEBVTT"),
    ("f.srt", "1\n00:00:01,000 --> 00:00:02,000\n<v Narrator>hi</v>\n", "unknown speaker label 'Narrator'"),
    ("g.srt", "just words\n", "no SRT cues"),
    ("h.doc", "Agent: hi", "unsupported transcript type"),
])
def test_bad_text_formats(tmp_path, name, content, problem):
    p = tmp_path / name
    p.write_text(content)
    with pytest.raises(InputError) as e:
        read_transcript(p)
    assert problem in str(e.value) and str(p) in str(e.value)


def test_not_utf8(tmp_path):
    p = tmp_path / "x.txt"
    p.write_bytes(b"Agent: \xff\xfe bad")
    with pytest.raises(InputError, match="not UTF-8"):
        read_transcript(p)


def _events(folder, lines):
    (folder / "events.jsonl").write_text("\n".join(lines) + "\n")


def test_session_folder_reads_final_transcripts_in_time_order(tmp_path):
    _events(tmp_path, [
        json.dumps({"type": "session_start", "lang": "en", "scenario": "late-delivery"}),
        json.dumps({"type": "persona", "speaker": "persona", "text": "My parcel is late!", "start": 0.2, "end": 2.0}),
        json.dumps({"type": "partial", "speaker": "agent", "text": "I'm so", "start": 2.5}),
        json.dumps({"type": "final", "speaker": "agent", "text": "I'm so sorry about that.", "start": 2.5, "end": 4.0}),
        '{"type": "final", "speaker": "agent", "text": "torn li',  # crash mid-line
    ])
    tr = read_session(tmp_path)
    assert [(t.speaker, t.text) for t in tr.turns] == [("customer", "My parcel is late!"),
                                                       ("agent", "I'm so sorry about that.")]
    assert tr.meta["scenario"] == "late-delivery" and tr.duration == 4.0
    turns, info = read_events(tmp_path / "events.jsonl")
    assert len(turns) == 2 and info["lang"] == "en"


def test_session_without_transcripts_needs_audio(tmp_path):
    _events(tmp_path, [json.dumps({"type": "mood", "value": "angry"})])
    with pytest.raises(InputError, match="no final transcripts"):
        read_session(tmp_path)


def _write_wav(path, seconds=1.0, sr=16000, ch=2):
    x = (np.random.default_rng(0).standard_normal((int(sr * seconds), ch)) * 3000).astype(np.int16)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(ch)
        w.setsampwidth(2)
        w.setframerate(sr)
        w.writeframes(x.tobytes())
    return x


def test_repair_unfinished_wav_header(tmp_path):
    p = tmp_path / "session.wav"
    x = _write_wav(p)
    raw = bytearray(p.read_bytes())
    data_at = raw.index(b"data")
    raw[4:8] = struct.pack("<I", 0)
    raw[data_at + 4:data_at + 8] = struct.pack("<I", 0)  # as a recorder killed before closing
    raw += b"\x01"  # and a torn last sample frame
    p.write_bytes(bytes(raw))
    assert repair_wav_header(p) is True
    with wave.open(str(p)) as w:
        assert w.getnframes() == len(x) and w.getnchannels() == 2
    assert repair_wav_header(p) is False  # already fine


def test_repair_ignores_non_wav(tmp_path):
    p = tmp_path / "x.wav"
    p.write_bytes(b"not a wav file at all")
    assert repair_wav_header(p) is False


def test_session_events_in_the_live_recorders_format(tmp_path):
    """coach.live writes {"t", "type": "turn", "speaker", "text", "start", "end"}; partials,
    prepared replies and chosen-but-unplayed replies are not transcript."""
    _events(tmp_path, [
        json.dumps({"t": 0.0, "type": "session_start", "scenario": "late-delivery", "lang": "en", "seed": 1}),
        json.dumps({"t": 1.0, "type": "partial", "turn": 0, "text": "hello thank"}),
        json.dumps({"t": 2.1, "type": "turn", "speaker": "agent", "index": 0, "text": "Hello, thanks for calling.",
                    "start": 0.4, "end": 2.0}),
        json.dumps({"t": 2.2, "type": "reply_chosen", "turn": 0, "text": "Where is my parcel?", "mood": "angry"}),
        json.dumps({"t": 4.0, "type": "turn", "speaker": "customer", "text": "Where is my",
                    "full_text": "Where is my parcel?", "start": 2.6, "end": 3.6}),
        json.dumps({"t": 5.0, "type": "session_end", "reason": "ctrl-c"}),
    ])
    tr = read_session(tmp_path)
    assert [(t.speaker, t.text) for t in tr.turns] == [("agent", "Hello, thanks for calling."),
                                                       ("customer", "Where is my")]
    assert tr.meta["scenario"] == "late-delivery" and tr.meta["seed"] == 1
