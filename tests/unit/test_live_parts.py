"""Pure parts of the live loop: commit rule, text cut at barge-in, recorder crash repair."""

from __future__ import annotations

import json
import struct

import numpy as np
import pytest

from coach.live.asr import PartialText, _drop_loops, agreed_prefix
from coach.live.audio_io import Player
from coach.live.turnstate import cut_text
from coach.live.recorder import EventLog, IncrementalWav, read_events, read_session_wav, repair_wav


def test_agreed_prefix_ignores_case_and_punctuation():
    assert agreed_prefix("hello my name is", "Hello, my name was Anna") == "Hello, my name"
    assert agreed_prefix("", "anything") == ""


def test_partial_commits_only_agreed_words():
    p = PartialText()
    assert p.update("I am sorry") == ("", "I am sorry")
    assert p.update("I am sorry about that.") == ("I am sorry", "about that.")
    # a later decode that disagrees never shrinks committed text
    assert p.update("I'm sorry about") == ("I am sorry", "")


def test_drop_loops():
    assert _drop_loops("hey guys hey guys hey guys") == "hey guys"
    assert _drop_loops("one two three") == "one two three"
    # Whisper going round again on the silence after the words: the restart is dropped
    assert _drop_loops("Can I have your account, um, please? Can I have your account,") == \
        "Can I have your account, um, please?"
    assert _drop_loops("Thank you. Thank you for waiting") == "Thank you. Thank you for waiting"
    assert _drop_loops("It is fine. We will") == "It is fine. We will"


@pytest.mark.parametrize("frac,expected", [
    (1.0, "I want a refund now"), (0.0, ""), (0.5, "I want a"), (0.2, "I"), (0.95, "I want a refund"),
])
def test_cut_text(frac, expected):
    assert cut_text("I want a refund now", frac) == expected


def test_player_reports_start_end_and_stop():
    p = Player()
    p.start(np.ones(1000, np.float32))
    a, ev = p.pull(512)
    assert a.sum() == 512 and ev == [(1, "start", 0, 0)]
    a, ev = p.pull(512)
    assert a.sum() == 488 and ev == [(1, "end", 488, 1000)]
    assert not p.active
    p.start(np.ones(5000, np.float32))
    p.pull(512)
    p.stop()
    a, ev = p.pull(512)
    assert a.sum() == 0 and ev == [(2, "stop", 0, 512)]


def test_incremental_wav_survives_without_close(tmp_path):
    path = tmp_path / "session.wav"
    w = IncrementalWav(path, sync_every_s=1.0)
    rng = np.random.default_rng(1)
    blocks = [rng.uniform(-0.5, 0.5, (2, 512)).astype(np.float32) for _ in range(40)]  # 1.28 s
    for b in blocks:
        w.write(b[0], b[1])
    w._f.flush()  # what the OS has after kill -9 (no close, header from the last sync)
    stale = struct.unpack("<I", path.read_bytes()[40:44])[0]
    assert stale < 40 * 512 * 4  # header lags behind the data
    with open(path, "ab") as f:
        f.write(b"\x01\x02\x03")  # a half-written frame
    assert repair_wav(path) == 40 * 512
    x, sr = read_session_wav(path)
    assert sr == 16000 and x.shape == (2, 40 * 512)
    want = np.concatenate(blocks, axis=1)
    assert np.abs(x - want).max() < 1e-4
    import soundfile as sf

    y, sr2 = sf.read(path, dtype="float32")  # a standard reader agrees after the repair
    assert y.shape == (40 * 512, 2)


def test_events_torn_last_line(tmp_path):
    path = tmp_path / "events.jsonl"
    log = EventLog(path)
    log.write({"t": 0.0, "type": "session_start"})
    log.write({"t": 1.0, "type": "turn", "speaker": "agent", "text": "hi", "start": 0.1, "end": 0.5})
    with open(path, "a") as f:
        f.write('{"t": 2.0, "type": "tu')
    got = list(read_events(path))
    assert [e["type"] for e in got] == ["session_start", "turn"]
    assert json.loads(path.read_text().splitlines()[1])["text"] == "hi"


@pytest.mark.parametrize("new,old,expected", [
    ("I will check that and call you.", "I will check that", True),  # more words: the re-decode
    ("I will check that.", "I will check that and", False),  # it lost the trailing "and"
    ("It is fine.", "It is fine. So", False),  # "so" leaves the sentence open
    # Whisper's "you" on the silence after a full stop: the re-decode without it wins
    ("You're right, that isn't good enough.", "You're right, that isn't going up. You", True),
    ("Selvä.", "Selvä. Ja", False),
])
def test_which_decode_is_kept(new, old, expected):
    from coach.live.turnstate import Prepared, better

    def p(text):
        return Prepared(0, text, "complete", 0.35, [], None, None, np.zeros(0, np.float32), 0.0, 0.0)

    assert better(p(new), p(old)) is expected
