"""Practice-session folders written by ``coach practice --record DIR``: ``session.wav`` (stereo,
ch0 agent microphone, ch1 persona) and ``events.jsonl``; and the repair of a WAV header left
unfinished by a crash."""

from __future__ import annotations

import json
import struct
from pathlib import Path

from coach.errors import InputError
from coach.types import LANGS, Transcript, Turn

SESSION_WAV = "session.wav"
SESSION_EVENTS = "events.jsonl"
AGENT_WORDS = {"agent", "rep", "representative", "advisor", "asiakaspalvelija", "palvelija",
               "myyjä", "virkailija"}
CUSTOMER_WORDS = {"customer", "caller", "client", "persona", "asiakas", "soittaja"}


_FINAL_TYPES = {"final", "transcript", "turn", "utterance", "agent_final", "final_transcript",
                "persona", "persona_reply", "persona_said", "reply", "heard"}


def _event_turn(ev: dict) -> tuple[str, str, float | None, float | None] | None:
    """A final utterance in an events.jsonl record, or None for other events."""
    kind = str(ev.get("type") or ev.get("event") or ev.get("kind") or "").lower()
    if kind not in _FINAL_TYPES or ev.get("partial") or ev.get("final") is False:
        return None
    text = ev.get("text") or ev.get("said") or ev.get("heard")
    if not isinstance(text, str) or not text.strip():
        return None
    who = str(ev.get("speaker") or ev.get("role") or ev.get("who") or
              ("customer" if kind.startswith(("persona", "reply")) else "agent")).lower()
    speaker = "customer" if who in CUSTOMER_WORDS else "agent" if who in AGENT_WORDS else None
    if speaker is None:
        return None
    start = ev.get("start", ev.get("t0"))
    end = ev.get("end", ev.get("t1"))
    start = float(start) if isinstance(start, (int, float)) and not isinstance(start, bool) else None
    end = float(end) if isinstance(end, (int, float)) and not isinstance(end, bool) else None
    if start is None or end is None or end < start:
        start = end = None
    return speaker, text.strip(), start, end


def read_events(path: Path) -> tuple[list[Turn], dict]:
    """Final transcripts (agent and persona) and session facts from ``events.jsonl``.

    A line cut short by a crash is skipped; events other than final utterances are ignored.
    """
    turns: list[tuple[float, int, Turn]] = []
    info: dict = {}
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path) from None
    for n, line in enumerate(lines):
        try:
            ev = json.loads(line)
        except json.JSONDecodeError:
            continue  # a torn last line after a crash
        if not isinstance(ev, dict):
            continue
        kind = str(ev.get("type") or ev.get("event") or "").lower()
        if kind in {"start", "session_start", "session"}:
            for key in ("lang", "scenario", "model", "agent", "date", "seed"):
                if key in ev:
                    info[key] = ev[key]
        got = _event_turn(ev)
        if got:
            speaker, text, start, end = got
            order = start if start is not None else float(ev.get("t", n) or n)
            turns.append((order, n, Turn(speaker=speaker, text=text, start=start, end=end)))
    turns.sort(key=lambda x: (x[0], x[1]))
    return [t for _, _, t in turns], info


def repair_wav_header(path: str | Path) -> bool:
    """Fix the RIFF and data sizes of a WAV left unfinished by a crash. True when it changed.

    A recorder that dies before closing leaves 0 (or a stale size) in both fields; the samples
    up to the end of the file are intact, so the sizes are set from the file size. Only the two
    4-byte fields are rewritten.
    """
    p = Path(path)
    size = p.stat().st_size
    with open(p, "r+b") as f:
        head = f.read(12)
        if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            return False
        pos, block_align, data_pos = 12, 1, None
        while pos + 8 <= size:
            f.seek(pos)
            cid, csize = struct.unpack("<4sI", f.read(8))
            if cid == b"fmt ":
                fmt = f.read(16)
                if len(fmt) == 16:
                    block_align = max(1, struct.unpack("<HHIIH", fmt[:14])[4])
            if cid == b"data":
                data_pos = pos
                break
            pos += 8 + csize + (csize & 1)
        if data_pos is None:
            return False
        avail = size - (data_pos + 8)
        avail -= avail % block_align
        f.seek(data_pos + 4)
        stored = struct.unpack("<I", f.read(4))[0]
        f.seek(4)
        riff = struct.unpack("<I", f.read(4))[0]
        want_riff = data_pos + 8 + avail - 8
        if stored == avail and riff == want_riff:
            return False
        f.seek(data_pos + 4)
        f.write(struct.pack("<I", avail))
        f.seek(4)
        f.write(struct.pack("<I", want_riff))
    return True


def read_session(folder: str | Path, lang: str | None = None, transcribe=None) -> Transcript:
    """A ``coach practice --record DIR`` folder: the final transcripts from ``events.jsonl``
    when present, else ``transcribe(wav_path, lang)`` on ``session.wav`` (ch0 agent, ch1
    persona); without a transcriber an InputError says the audio must be transcribed."""
    d = Path(folder)
    events = d / SESSION_EVENTS
    wav = d / SESSION_WAV
    turns, info = read_events(events) if events.is_file() else ([], {})
    lang_ = lang or info.get("lang") or "en"
    if lang_ not in LANGS:
        lang_ = "en"
    if wav.is_file() and repair_wav_header(wav):
        info["notes"] = ["session.wav was left unfinished (crash?); its header was repaired from the file size"]
    if turns:
        timed = [t.end for t in turns if t.end is not None]
        return Transcript(turns=tuple(turns), lang=lang_, source=str(d),
                          duration=max(timed) if timed else None,
                          meta={"format": "session", **{k: v for k, v in info.items() if k != "lang"}})
    if not wav.is_file():
        raise InputError("practice session has no final transcripts in events.jsonl and no session.wav", d)
    if transcribe is None:
        raise InputError("practice session has no saved transcripts; its audio must be transcribed", d)
    tr = transcribe(wav, lang_)
    return Transcript(turns=tr.turns, lang=tr.lang, source=str(d), duration=tr.duration,
                      intervals=tr.intervals, meta={**dict(tr.meta), "format": "session", **info,
                            "notes": list(tr.meta.get("notes", ())) + info.get("notes", [])})
