"""Assess one call: any input -> Transcript -> metrics + rubric -> Scorecard with its meta.

Inputs (see docs/scorecard.md):

* audio (wav/flac/mp3/ogg/m4a...): stereo is transcribed per channel (coach.pipeline); a mono
  file with a transcript of the same name beside it (``call.wav`` + ``call.json``/``.vtt``/
  ``.srt``/``.txt``) is scored from that transcript's speakers, the audio feeding the player;
* a transcript file (JSON, WebVTT, SRT, text) — an audio file of the same name beside it is
  attached to the HTML report's player;
* a practice-session folder (``session.wav`` + ``events.jsonl``).

The agent id comes from ``--agent`` or the file name ``<agent>_<YYYY-MM-DD>_<anything>.<ext>``
(also ``YYYYMMDD``); the call date from that name, else the file's modification date (UTC).
The language of an audio file is ``--lang``, else an ``en``/``fi`` token in its name
(``sanna_2026-11-21_good_fi.flac``), else English.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from coach.errors import InputError
from coach.transcript_io import (AUDIO_SUFFIXES, SESSION_WAV, TRANSCRIPT_SUFFIXES, is_session_dir,
                                 read_session, read_transcript)
from coach.types import Scorecard, Transcript

NAME_PATTERN = re.compile(r"^(?P<agent>[A-Za-z0-9][A-Za-z0-9.-]*)_(?P<date>\d{4}-?\d{2}-?\d{2})(?:[_-].*)?$")


@dataclass(frozen=True)
class AssessOptions:
    rubric: str = "complaint-handling"
    agent_channel: str = "left"
    lang: str | None = None  # None: the transcript's own, else en
    agent: str | None = None
    model: str | None = None  # None: tiny.en for English, base otherwise
    device: str = "auto"


@dataclass
class Assessed:
    input: str
    card: Scorecard
    audio: str | None = None  # audio for the report's player
    notes: list[str] = field(default_factory=list)


def input_kind(path: Path) -> str:
    if is_session_dir(path):
        return "session"
    suffix = path.suffix.lower()
    if suffix in AUDIO_SUFFIXES:
        return "audio"
    if suffix in TRANSCRIPT_SUFFIXES:
        return "transcript"
    raise InputError(f"not a call: unknown file type {suffix or '(none)'}", path)


def companion(path: Path, suffixes) -> Path | None:
    """A file with the same stem and one of ``suffixes`` in the same folder."""
    for s in sorted(suffixes):
        for cand in (path.with_suffix(s), path.with_suffix(s.upper())):
            if cand != path and cand.is_file():
                return cand
    return None


def agent_and_date(path: Path, agent: str | None = None) -> tuple[str | None, str]:
    m = NAME_PATTERN.match(path.stem if path.is_file() or path.suffix else path.name)
    date = None
    if m:
        d = m.group("date").replace("-", "")
        try:
            date = dt.date(int(d[:4]), int(d[4:6]), int(d[6:8])).isoformat()
        except ValueError:
            date = None
        agent = agent or m.group("agent")
    if date is None:
        try:
            date = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc).date().isoformat()
        except OSError:
            date = dt.datetime.now(dt.timezone.utc).date().isoformat()
    return agent, date


def lang_from_name(path: Path) -> str | None:
    """``en``/``fi`` when the file name carries it as a token: ``call_fi.wav``, ``x-en.flac``."""
    tokens = re.split(r"[_\-. ]+", path.stem.lower())
    for tok in reversed(tokens):
        if tok in ("en", "fi"):
            return tok
    return None


def default_model(lang: str) -> str:
    return "tiny.en" if lang == "en" else "base"


class Assessor:
    """Holds the loaded rubric and (lazily) one speech model; assesses inputs one by one."""

    def __init__(self, opts: AssessOptions, rubric=None):
        from coach.rubric import load_rubric

        self.opts = opts
        self.rubric = rubric if rubric is not None else load_rubric(opts.rubric)
        self._transcribers: dict[str, object] = {}

    def transcriber(self, lang: str):
        name = self.opts.model or default_model(lang)
        if name not in self._transcribers:
            from coach.stt import load_transcriber

            self._transcribers[name] = load_transcriber(name, device=self.opts.device, lang=lang)
        return self._transcribers[name]

    def _audio_transcript(self, path: Path, lang: str) -> Transcript:
        from coach.pipeline import transcript_from_audio

        return transcript_from_audio(path, self.opts.agent_channel, lang, transcriber=self.transcriber(lang))

    def transcript(self, path: Path) -> tuple[Transcript, str | None, str]:
        kind = input_kind(path)
        lang = self.opts.lang
        if kind == "transcript":
            tr = read_transcript(path, lang=lang)
            audio = companion(path, AUDIO_SUFFIXES)
            return tr, str(audio) if audio else None, kind
        if kind == "session":
            wav = path / SESSION_WAV
            tr = read_session(path, lang=lang, transcribe=lambda w, lg: self._audio_transcript(w, lg))
            if tr.intervals is None and wav.is_file():
                from coach.pipeline import session_intervals

                tr = replace(tr, intervals=session_intervals(wav))
            return tr, str(wav) if wav.is_file() else None, kind
        ref = companion(path, TRANSCRIPT_SUFFIXES)
        audio = None
        if ref is not None:  # a transcript beside the audio: used when the audio is mono
            from coach.audio import load, same_content

            audio = load(path, sr=16000)
            if audio.channels < 2 or same_content(audio.samples[:2, : 16000 * 60]):
                given = read_transcript(ref, lang=lang)
                note = f"Mono recording scored from the transcript with speakers in {ref.name}."
                tr = replace(given, source=str(path), duration=round(audio.duration, 3),
                             meta={**dict(given.meta), "notes": [note], "model": None,
                                   "transcript_file": str(ref), "channels": audio.channels})
                return tr, str(path), kind
        from coach.pipeline import transcript_from_audio

        lang_ = lang or lang_from_name(path) or "en"
        tr = transcript_from_audio(path, self.opts.agent_channel, lang_, transcriber=self.transcriber(lang_),
                                   audio=audio)
        return tr, str(path), kind

    def assess(self, path: str | os.PathLike) -> Assessed:
        from coach import __version__
        from coach.metrics import compute
        from coach.pipeline import mono_metrics
        from coach.rubric import score

        p = Path(path)
        if not p.exists():
            raise InputError("no such file or folder", p)
        tr, audio, kind = self.transcript(p)
        metrics = compute(tr)
        if tr.meta.get("mono") and tr.meta.get("model"):
            metrics = mono_metrics(metrics)
        card = score(tr, self.rubric, metrics=metrics)
        agent, date = agent_and_date(p, self.opts.agent or tr.meta.get("agent"))
        notes = [str(n) for n in tr.meta.get("notes", ())]
        meta = {
            **dict(card.meta),
            "coach_version": __version__, "input": str(p), "input_kind": kind,
            "agent": agent, "date": str(tr.meta.get("date") or date),
            "created": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
            "model": tr.meta.get("model"), "rubric_id": card.rubric_id,
            "rubric_version": str(card.rubric_version),
            "rubric_path": str(getattr(self.rubric, "path", "") or "") or None,
            "agent_channel": tr.meta.get("agent_channel"), "channels": tr.meta.get("channels"),
            "notes": notes,
        }
        card = replace(card, transcript=tr, metrics=card.metrics or metrics, meta=meta)
        return Assessed(str(p), card, audio, notes)
