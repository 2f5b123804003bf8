"""Pure parts of the audio pipeline: chunking VAD intervals, packing windows, mapping words back
to their chunk and time, merging turns (a fake transcriber stands in for Whisper here; the real
one runs in tests/integration/test_assess_pipeline.py)."""

import numpy as np

from coach.pipeline import (SR, Chunk, Piece, _assign, _window_audio, chunks_from_intervals,
                            merge_turns, pack_windows, transcribe_channels)
from coach.types import Interval, Segment, Word


def test_chunks_merge_short_pauses_and_split_long_speech():
    ivs = [Interval(0.0, 1.0), Interval(1.3, 2.0), Interval(5.0, 6.0)]
    assert chunks_from_intervals(ivs) == [Chunk(0.0, 2.0), Chunk(5.0, 6.0)]
    long = [Interval(i * 3.0, i * 3.0 + 2.5) for i in range(12)]  # 0.5 s pauses, 35.5 s of talk
    chunks = chunks_from_intervals(long, max_len=24.0)
    assert len(chunks) == 2 and all(c.end - c.start <= 24.0 for c in chunks)
    assert chunks_from_intervals([Interval(0, 50)], max_len=24.0) == [Chunk(0, 24), Chunk(24, 48), Chunk(48, 50)]


def test_pack_windows_first_fit_decreasing():
    x = np.zeros(SR * 120, np.float32)
    pieces = [Piece("agent", x, Chunk(t, t + d)) for t, d in [(0, 20), (30, 8), (50, 8), (70, 5), (90, 4)]]
    wins = pack_windows(pieces, window_s=29.0, gap_s=0.5)
    assert len(wins) == 2
    for w in wins:
        assert sum((p.span[1] - p.span[0]) / SR for p in w) + 0.5 * (len(w) - 1) <= 29.0


def test_words_map_back_to_their_chunk_and_call_time():
    x = np.arange(SR * 40, dtype=np.float32)
    a, b = Piece("agent", x, Chunk(2.0, 4.0)), Piece("agent", x, Chunk(30.0, 31.0))
    audio, places = _window_audio([b, a])  # sorted by time inside the window
    assert [p[3] for p in places] == [a, b]
    off_b = places[1][0]
    assert audio.size == int(round((2.2 + 0.5 + 1.2) * SR))
    seg = Segment(0.0, off_b + 1.0, "sorry about that okay", words=(
        Word("sorry", 0.15, 0.5), Word("about", 0.5, 0.9), Word("that", 2.1, 2.3),  # late: a's tail
        Word("okay", off_b - 0.1, off_b + 0.4)))  # a little early: b
    got = _assign([seg], places)
    assert [(p.chunk, text) for p, _, text in got] == [(a.chunk, "sorry about that"), (b.chunk, "okay")]
    words_a = got[0][1]
    assert abs(words_a[0].start - (1.9 + 0.15)) < 1e-6  # 1.9 = chunk start - pad
    assert all(1.9 <= w.start <= 4.1 for w in words_a)


class FakeTranscriber:
    """Returns one segment per window whose words are the window's non-silent stretches."""

    def transcribe(self, audio, options=None, lang=None):
        loud = np.abs(audio) > 0.5
        edges = np.flatnonzero(np.diff(np.r_[0, loud.astype(int), 0]))
        words = tuple(Word(f"w{round(s / SR, 1)}", s / SR, e / SR) for s, e in zip(edges[::2], edges[1::2]))
        return [Segment(0, audio.size / SR, " ".join(w.text for w in words), words)] if words else []


def test_two_channels_to_turns_in_time_order():
    a = np.zeros(SR * 10, np.float32)
    c = np.zeros(SR * 10, np.float32)
    a[SR * 1:SR * 2] = 1
    c[int(SR * 2.5):SR * 4] = 1
    a[SR * 5:SR * 6] = 1
    utts = transcribe_channels([("agent", a, [Interval(1, 2), Interval(5, 6)]),
                                ("customer", c, [Interval(2.5, 4)])], FakeTranscriber())
    turns = merge_turns(utts)
    assert [t.speaker for t in turns] == ["agent", "customer", "agent"]
    assert [round(t.start, 1) for t in turns] == [1.0, 2.5, 5.0]


def test_merge_turns_joins_one_speakers_close_chunks_only():
    utts = [("agent", 0.0, 1.0, "hello", ()), ("agent", 1.5, 2.0, "there", ()),
            ("customer", 2.5, 3.0, "hi", ()), ("agent", 6.0, 7.0, "so", ())]
    turns = merge_turns(utts)
    assert [(t.speaker, t.text) for t in turns] == [("agent", "hello there"), ("customer", "hi"), ("agent", "so")]
