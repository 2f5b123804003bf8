"""The VAD's pure parts: the hysteresis segmenter, padding and run finding (no model).

The real model is exercised in tests/integration/test_metrics_audio.py.
"""

from __future__ import annotations

import numpy as np
import pytest

from coach.types import Interval
from coach.vad import WINDOW_S, VadSettings, _pad, _runs, _Segmenter

S = VadSettings()  # threshold 0.5, neg 0.35; a silence ends speech once 150 ms (4.7 windows) have passed


def seg(probs, settings=S, chunks=(None,)):
    s = _Segmenter(settings)
    p = np.asarray(probs, dtype=np.float32)
    if chunks == (None,):
        s.feed(p)
    else:
        for part in np.array_split(p, chunks):
            s.feed(part)
    return s.finish()


CASES = [
    ("silence", [0.0] * 20, []),
    ("one stretch", [0] * 3 + [0.9] * 10 + [0] * 10, [(3, 13)]),
    ("a short dip stays inside", [0.9] * 5 + [0.1] * 3 + [0.9] * 5 + [0] * 10, [(0, 13)]),
    ("a dip of 5 windows (160 ms) still stays inside", [0.9] * 5 + [0.1] * 5 + [0.9] * 5 + [0] * 10,
     [(0, 15)]),
    ("a dip of 6 windows (192 ms) splits", [0.9] * 5 + [0.1] * 6 + [0.9] * 5 + [0] * 10,
     [(0, 5), (11, 16)]),
    ("values between the thresholds continue speech", [0.9] * 5 + [0.4] * 10 + [0] * 10, [(0, 15)]),
    ("but do not start it", [0.4] * 10, []),
    ("too short to keep (2 windows = 64 ms)", [0] * 3 + [0.9] * 2 + [0] * 10, []),
    ("speech to the end", [0] * 2 + [0.9] * 6, [(2, 8)]),
    ("speech to the end with a short tail dip", [0] * 2 + [0.9] * 6 + [0.1] * 2, [(2, 8)]),
]


@pytest.mark.parametrize("name,probs,expected", CASES, ids=[c[0] for c in CASES])
def test_segmenter(name, probs, expected):
    assert seg(probs) == expected


def test_segmenter_is_block_invariant():
    rng = np.random.default_rng(1)
    probs = (rng.random(2000) ** 3 > 0.3).astype(np.float32) * 0.9
    probs = np.convolve(probs, np.ones(7) / 7, mode="same")
    whole = seg(probs)
    assert len(whole) > 10
    for n in (2, 7, 50, 333):
        assert seg(probs, chunks=n) == whole


def test_padding_and_sharing_close_gaps():
    w = WINDOW_S
    # windows 10-20 and 22-30: the 64 ms gap is under 2 x 30 ms? no (64 > 60): padded apart
    out = _pad([(10, 20), (22, 30)], total_s=100.0, pad_s=0.03)
    assert out == [Interval(round(10 * w - 0.03, 3), round(20 * w + 0.03, 3)),
                   Interval(round(22 * w - 0.03, 3), round(30 * w + 0.03, 3))]
    # a gap of one window (32 ms) is shared: the intervals meet in the middle
    out = _pad([(10, 20), (21, 30)], total_s=100.0, pad_s=0.03)
    assert out[0].end == out[1].start == pytest.approx(20.5 * w, abs=1e-3)
    # clipped to the audio
    out = _pad([(0, 5)], total_s=5 * w, pad_s=0.03)
    assert out == [Interval(0.0, round(5 * w, 3))]


def test_runs():
    assert _runs(np.array([0, 1, 1, 0, 1], bool)) == [(1, 3), (4, 5)]
    assert _runs(np.zeros(4, bool)) == []
    assert _runs(np.ones(3, bool)) == [(0, 3)]
