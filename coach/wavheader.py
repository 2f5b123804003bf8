"""RIFF/WAVE header walking: find the format and data chunks, explain damaged files.

Used by :mod:`coach.audio` to detect a truncated data chunk (decoded as far as it goes, with a
note) and to give one clear line for files neither decoder reads.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

from coach.errors import AudioError

WAV_FORMATS = {1: "PCM", 3: "IEEE float", 6: "A-law", 7: "mu-law", 0xFFFE: "extensible",
               2: "MS ADPCM", 0x11: "IMA ADPCM", 0x31: "GSM 6.10", 0x55: "MP3"}


def looks_like_text(head: bytes) -> bool:
    if not head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return all(c.isprintable() or c in "\r\n\t" for c in text)


@dataclass(frozen=True)
class WavHeader:
    fmt_tag: int | None
    channels: int | None
    sr: int | None
    bits: int | None
    data_offset: int | None
    data_declared: int | None
    file_size: int


def parse_wav(p: Path) -> WavHeader | None:
    """Walk the RIFF chunks of a WAV file; None if it is not RIFF/WAVE at all."""
    size = p.stat().st_size
    with open(p, "rb") as f:
        head = f.read(12)
        if len(head) < 12 or head[:4] not in (b"RIFF", b"RF64") or head[8:12] != b"WAVE":
            if head[:4] in (b"RIFF", b"RF64"):
                return WavHeader(None, None, None, None, None, None, size)
            return None
        fmt = (None, None, None, None)
        pos = 12
        while pos + 8 <= size:
            f.seek(pos)
            hdr = f.read(8)
            if len(hdr) < 8:
                break
            cid, clen = hdr[:4], struct.unpack("<I", hdr[4:])[0]
            if cid == b"fmt ":
                body = f.read(min(clen, 40))
                if len(body) >= 16:
                    tag, ch, sr, _, _, bits = struct.unpack("<HHIIHH", body[:16])
                    if tag == 0xFFFE and len(body) >= 26:
                        tag = struct.unpack("<H", body[24:26])[0]
                    fmt = (tag, ch, sr, bits)
            elif cid == b"data":
                return WavHeader(*fmt, pos + 8, clen, size)
            pos += 8 + clen + (clen & 1)
        return WavHeader(*fmt, None, None, size)


def truncation_note(h: WavHeader | None) -> str | None:
    if h is None or h.data_offset is None or h.data_declared in (None, 0, 0xFFFFFFFF):
        return None
    have = h.file_size - h.data_offset
    if have >= h.data_declared:
        return None
    bps = (h.channels or 1) * max(1, (h.bits or 8) // 8) * (h.sr or 1)
    return (f"truncated: the header announces {h.data_declared / bps:.2f} s, the file holds "
            f"{have / bps:.2f} s; decoded what is there")


def diagnose(p: Path, detail: str) -> AudioError:
    """Best one-line explanation for a file neither decoder could read."""
    with open(p, "rb") as f:
        head = f.read(512)
    if looks_like_text(head):
        return AudioError("not an audio file (it contains text)", p)
    h = parse_wav(p)
    if h is not None:
        if h.fmt_tag is None:
            return AudioError("damaged or truncated WAV header (no format chunk)", p)
        if h.data_offset is None:
            return AudioError("damaged or truncated WAV header (no data chunk)", p)
        name = WAV_FORMATS.get(h.fmt_tag, "unknown")
        return AudioError(f"unsupported WAV encoding: format tag 0x{h.fmt_tag:04x} ({name}), "
                          f"{h.bits} bits", p)
    short = detail.strip().splitlines()[0][:120] if detail.strip() else "unrecognised format"
    return AudioError(f"not a readable audio file ({short})", p)
