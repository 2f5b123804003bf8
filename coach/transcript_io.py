"""Read call transcripts from files: JSON, WebVTT, SRT, plain text and practice-session folders.

Every reader returns a :class:`coach.types.Transcript` or raises :class:`InputError` naming the
file and the problem (wrong fields, unknown speaker labels, empty turns, bad JSON...).

Speaker labels are case-insensitive; these are understood (English and Finnish):

* agent: ``agent``, ``rep``, ``representative``, ``advisor``, ``asiakaspalvelija``, ``palvelija``,
  ``myyjä``, ``virkailija``
* customer: ``customer``, ``caller``, ``client``, ``persona``, ``asiakas``, ``soittaja``

Anything else is an error (a transcript with a third party cannot be scored as agent vs customer).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Iterable

from coach.errors import InputError
from coach.session_io import SESSION_EVENTS, SESSION_WAV
from coach.types import LANGS, Transcript, Turn

AGENT_LABELS = {"agent", "rep", "representative", "advisor", "asiakaspalvelija", "palvelija",
                "myyjä", "virkailija"}
CUSTOMER_LABELS = {"customer", "caller", "client", "persona", "asiakas", "soittaja"}
FINNISH_LABELS = {"asiakaspalvelija", "palvelija", "myyjä", "virkailija", "asiakas", "soittaja"}

TRANSCRIPT_SUFFIXES = {".json", ".vtt", ".srt", ".txt"}
AUDIO_SUFFIXES = {".wav", ".flac", ".mp3", ".ogg", ".m4a", ".opus", ".aac", ".webm"}


def speaker_of(label: str, path: str | Path, where: str) -> str:
    """Map a speaker label to ``agent``/``customer`` or raise InputError."""
    key = label.strip().strip("[]()").strip().lower()
    if key in AGENT_LABELS:
        return "agent"
    if key in CUSTOMER_LABELS:
        return "customer"
    raise InputError(f"{where}: unknown speaker label {label.strip()!r} (expected agent or customer)", path)


def is_session_dir(path: Path) -> bool:
    return path.is_dir() and ((path / SESSION_WAV).is_file() or (path / SESSION_EVENTS).is_file())


def read_transcript(path: str | Path, lang: str | None = None) -> Transcript:
    """Read a transcript file (by suffix) or a practice-session folder with saved transcripts."""
    p = Path(path)
    if is_session_dir(p):
        return read_session(p, lang=lang)
    if not p.is_file():
        raise InputError("no such file", p)
    suffix = p.suffix.lower()
    readers = {".json": read_json, ".vtt": read_vtt, ".srt": read_srt, ".txt": read_text}
    if suffix not in readers:
        raise InputError(f"unsupported transcript type {suffix or '(none)'} (use .json, .vtt, .srt or .txt)", p)
    return readers[suffix](p, lang=lang)


def _read_text_file(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", path) from None


def _check_lang(lang: Any, path: Path) -> str:
    if lang not in LANGS:
        raise InputError(f"lang must be one of {', '.join(LANGS)}, got {lang!r}", path)
    return lang


def _finish(turns: list[Turn], path: Path, lang: str, fmt: str) -> Transcript:
    if not turns:
        raise InputError("no turns found", path)
    timed = [t for t in turns if t.end is not None]
    duration = max(t.end for t in timed) if timed else None
    return Transcript(turns=tuple(turns), lang=lang, source=str(path), duration=duration,
                      meta={"format": fmt})


# ---------------------------------------------------------------- JSON

def read_json(path: str | Path, lang: str | None = None) -> Transcript:
    p = Path(path)
    text = _read_text_file(p)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"bad JSON at line {exc.lineno} column {exc.colno}: {exc.msg}", p) from None
    return transcript_from_dict(data, p, lang=lang)


def _number(value: Any, path: Path, where: str, key: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        raise InputError(f"{where}: {key} must be a number of seconds, got {value!r}", path)
    if value < 0:
        raise InputError(f"{where}: {key} must not be negative", path)
    return float(value)


def transcript_from_dict(data: Any, path: str | Path, lang: str | None = None) -> Transcript:
    """Validate a parsed transcript JSON object (see module docs) and build a Transcript."""
    p = Path(path)
    if not isinstance(data, dict):
        raise InputError("transcript JSON must be an object with 'lang' and 'turns'", p)
    unknown = set(data) - {"lang", "turns", "source", "duration", "meta", "agent", "date"}
    if unknown:
        raise InputError(f"unknown field(s) {', '.join(sorted(unknown))} (expected lang, turns)", p)
    file_lang = data.get("lang", lang or "en")
    lang_ = _check_lang(file_lang, p)
    turns_raw = data.get("turns")
    if not isinstance(turns_raw, list):
        raise InputError("'turns' must be a list of {speaker, text, start?, end?}", p)
    turns: list[Turn] = []
    for i, t in enumerate(turns_raw):
        where = f"turns[{i}]"
        if not isinstance(t, dict):
            raise InputError(f"{where}: must be an object with speaker and text", p)
        extra = set(t) - {"speaker", "text", "start", "end", "words"}
        if extra:
            raise InputError(f"{where}: unknown field(s) {', '.join(sorted(extra))}", p)
        if "speaker" not in t or not isinstance(t["speaker"], str):
            raise InputError(f"{where}: missing speaker (agent or customer)", p)
        speaker = speaker_of(t["speaker"], p, where)
        text = t.get("text")
        if not isinstance(text, str):
            raise InputError(f"{where}: text must be a string", p)
        if not text.strip():
            raise InputError(f"{where}: empty turn (no text)", p)
        start = _number(t.get("start"), p, where, "start")
        end = _number(t.get("end"), p, where, "end")
        if (start is None) != (end is None):
            raise InputError(f"{where}: give both start and end, or neither", p)
        if start is not None and end is not None and end < start:
            raise InputError(f"{where}: end {end} is before start {start}", p)
        turns.append(Turn(speaker=speaker, text=text.strip(), start=start, end=end))
    return _finish(turns, p, lang_, "json")


# ---------------------------------------------------------------- subtitles (VTT / SRT)

_TIME = r"(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{1,3})"
_CUE_TIME = re.compile(rf"^\s*{_TIME}\s*-->\s*{_TIME}")
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>", re.I)
_TAG = re.compile(r"</?[^>]+>")
_PREFIX = re.compile(r"^\s*\[?([A-Za-zÅÄÖåäö][\wÅÄÖåäö .-]{0,30}?)\]?\s*:\s*(.*)$", re.S)
_BRACKET = re.compile(r"^\s*\[([^\]]{1,30})\]\s*(.*)$", re.S)


def _seconds(groups: tuple) -> float:
    h, m, s, frac = groups
    return int(h or 0) * 3600 + int(m) * 60 + int(s) + int(frac.ljust(3, "0")) / 1000


def _split_speaker(text: str) -> tuple[str | None, str]:
    """A cue's speaker (voice tag, ``Name:`` or ``[Name]`` prefix) and its plain text."""
    m = _VOICE.search(text)
    if m:
        label = m.group(1).strip()
        return label, _TAG.sub("", text[m.end():]).strip()
    plain = _TAG.sub("", text).strip()
    for rx in (_PREFIX, _BRACKET):
        m = rx.match(plain)
        if m:
            return m.group(1).strip(), m.group(2).strip()
    return None, plain


def _cue_turns(cues: Iterable[tuple[float, float, str]], path: Path, fmt: str) -> list[Turn]:
    turns: list[Turn] = []
    last: str | None = None
    for n, (start, end, text) in enumerate(cues, 1):
        where = f"cue {n} ({_fmt_time(start)})"
        label, body = _split_speaker(text)
        if label is not None:
            last = speaker_of(label, path, where)
        elif last is None:
            raise InputError(f"{where}: no speaker (use <v Agent> or 'Agent:' / 'Customer:')", path)
        if not body:
            raise InputError(f"{where}: empty turn (no text)", path)
        if end < start:
            raise InputError(f"{where}: end is before start", path)
        turns.append(Turn(speaker=last, text=body, start=start, end=end))
    return turns


def _fmt_time(t: float) -> str:
    return f"{int(t // 60):02d}:{t % 60:06.3f}"


def _parse_cues(text: str, path: Path, fmt: str) -> list[tuple[float, float, str]]:
    blocks = re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n").strip())
    cues = []
    for block in blocks:
        lines = [ln for ln in block.split("\n")]
        idx = next((i for i, ln in enumerate(lines) if "-->" in ln), None)
        if idx is None:
            continue  # header, NOTE, STYLE, REGION or a bare cue number
        m = _CUE_TIME.match(lines[idx])
        if not m:
            raise InputError(f"bad cue timing {lines[idx].strip()!r}", path)
        g = m.groups()
        cues.append((_seconds(g[:4]), _seconds(g[4:]), "\n".join(lines[idx + 1:]).strip()))
    if not cues:
        raise InputError(f"no {fmt.upper()} cues found", path)
    return cues


def read_vtt(path: str | Path, lang: str | None = None) -> Transcript:
    p = Path(path)
    text = _read_text_file(p)
    if not text.lstrip().startswith("WEBVTT"):
        raise InputError("not a WebVTT file (first line must be WEBVTT)", p)
    turns = _cue_turns(_parse_cues(text, p, "vtt"), p, "vtt")
    return _finish(turns, p, _check_lang(lang or _guess_lang(text), p), "vtt")


def read_srt(path: str | Path, lang: str | None = None) -> Transcript:
    p = Path(path)
    text = _read_text_file(p)
    turns = _cue_turns(_parse_cues(text, p, "srt"), p, "srt")
    return _finish(turns, p, _check_lang(lang or _guess_lang(text), p), "srt")


# ---------------------------------------------------------------- plain text

def _guess_lang(text: str) -> str:
    head = text[:4000].lower()
    if re.search(r"^\s*(<v\s+)?(asiakaspalvelija|asiakas|palvelija|soittaja|virkailija)\b", head, re.M):
        return "fi"
    return "en"


def read_text(path: str | Path, lang: str | None = None) -> Transcript:
    """``Agent: ...`` / ``Customer: ...`` lines; an unprefixed line continues the previous turn."""
    p = Path(path)
    text = _read_text_file(p)
    turns: list[Turn] = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _PREFIX.match(line)
        if m:
            speaker = speaker_of(m.group(1), p, f"line {n}")
            body = m.group(2).strip()
            if not body:
                raise InputError(f"line {n}: empty turn (no text after {m.group(1).strip()}:)", p)
            turns.append(Turn(speaker=speaker, text=body))
        elif turns:
            prev = turns[-1]
            turns[-1] = Turn(speaker=prev.speaker, text=f"{prev.text} {line.strip()}")
        else:
            raise InputError(f"line {n}: no speaker prefix (start lines with 'Agent:' or 'Customer:')", p)
    return _finish(turns, p, _check_lang(lang or _guess_lang(text), p), "text")


# practice-session folders live in coach.session_io (re-exported here)
from coach.session_io import read_events, read_session, repair_wav_header  # noqa: E402

__all__ = ["read_transcript", "read_json", "read_vtt", "read_srt", "read_text", "transcript_from_dict",
           "read_session", "read_events", "repair_wav_header", "is_session_dir", "speaker_of"]
