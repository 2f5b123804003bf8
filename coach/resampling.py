"""Resampling: polyphase filtering (scipy.signal.resample_poly), whole-signal and streaming.

:class:`StreamResampler` gives the same samples as :func:`resample` on the whole signal, block
by block (for long files and live capture, e.g. a 48 kHz microphone to 16 kHz).
"""

from __future__ import annotations

from math import gcd

import numpy as np


def resample(x: np.ndarray, sr_in: int, sr_out: int) -> np.ndarray:
    """Polyphase resampling along the last axis (1-D or (channels, n)); float32 out."""
    x = np.asarray(x, dtype=np.float32)
    if sr_in == sr_out:
        return x
    if sr_in <= 0 or sr_out <= 0:
        raise ValueError(f"bad sample rates {sr_in} -> {sr_out}")
    from scipy.signal import resample_poly

    g = gcd(int(sr_in), int(sr_out))
    return resample_poly(x, sr_out // g, sr_in // g, axis=-1).astype(np.float32)


class StreamResampler:
    """Block-wise resampling that matches :func:`resample` on the whole signal.

    Each block is filtered with ``pad`` input samples of real context on both sides, so output
    is emitted one ``pad`` behind the input; :meth:`flush` returns the tail.
    """

    def __init__(self, sr_in: int, sr_out: int, channels: int = 1):
        g = gcd(int(sr_in), int(sr_out))
        self.up, self.down = sr_out // g, sr_in // g
        self.sr_in, self.sr_out, self.channels = sr_in, sr_out, channels
        half_in = 10 * max(self.up, self.down) / self.up  # resample_poly's filter half-length
        need = max(64, int(2 * half_in) + 2)
        self.pad = self.down * -(-need // self.down)  # multiple of ``down``: aligned outputs
        self._buf = np.zeros((channels, self.pad), np.float32)  # left context = zeros at start
        self._passthrough = sr_in == sr_out

    def process(self, block: np.ndarray) -> np.ndarray:
        block = np.asarray(block, dtype=np.float32).reshape(self.channels, -1)
        if self._passthrough:
            return block
        self._buf = np.concatenate([self._buf, block], axis=1)
        usable = self._buf.shape[1] - 2 * self.pad  # samples with full context both sides
        usable -= usable % self.down
        if usable <= 0:
            return np.zeros((self.channels, 0), np.float32)
        seg = self._buf[:, : usable + 2 * self.pad]
        y = resample(seg, self.sr_in, self.sr_out)
        o0 = self.pad * self.up // self.down
        out = y[:, o0: o0 + usable * self.up // self.down]
        self._buf = self._buf[:, usable:]
        return out

    def flush(self) -> np.ndarray:
        if self._passthrough:
            return np.zeros((self.channels, 0), np.float32)
        rest = self._buf.shape[1] - self.pad
        if rest <= 0:
            return np.zeros((self.channels, 0), np.float32)
        seg = np.concatenate([self._buf, np.zeros((self.channels, self.pad), np.float32)], axis=1)
        y = resample(seg, self.sr_in, self.sr_out)
        o0 = self.pad * self.up // self.down
        n_out = -(-rest * self.up // self.down)
        self._buf = self._buf[:, rest:]
        return y[:, o0: o0 + n_out]
