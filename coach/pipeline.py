"""Recorded call audio -> Transcript (turns ordered by time, VAD intervals per speaker).

Stereo (one party per channel): Silero VAD finds each channel's speech (coach.vad); the speech
is cut into utterance chunks (pauses < ``MAX_GAP_S`` stay inside), and the chunks of a channel
are packed (first-fit decreasing), separated by short gaps, into windows of up to 22 s. One
loaded Whisper model decodes all windows of the call together in batches (faster-whisper's
``BatchedInferencePipeline``). Silence is never transcribed, and each window goes to the
encoder padded to 23 s instead of Whisper's 30 s for English (CTranslate2 accepts shorter inputs,
OpenNMT/CTranslate2 PR #1446). Measured (tiny.en, WER asr-reference / anna / ben): 29 s in 30 s
3.5 / 17.9 / 9.4 %; 22 s in 23 s 1.8 / 15.9 / 8.6 % with ~15-20 % less CPU; 14 s in 15 s was
cheaper still but worse (8.8 / 14.5 / 11.1 %). Word timestamps map every
word back to its chunk and its time in the call.

Mono (or a stereo file whose channels carry the same signal): one stream; every utterance is
attributed to the agent and the talk-time figures are marked unavailable (see
:func:`mono_metrics`), unless a transcript with speakers is given (coach.assessment).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from coach.types import Interval, Metrics, Transcript, Turn, Word

SR = 16000
MAX_GAP_S = 0.8  # a pause shorter than this stays inside an utterance chunk
MAX_CHUNK_S = 21.5  # a longer stretch of speech is cut at its longest inner pause
WINDOW_S = 22.0  # audio per Whisper window
ENCODER_S = 23.0  # the window is fed to the encoder padded to this, not to Whisper's 30 s
JOIN_GAP_S = 0.5  # silence placed between chunks inside a window
PAD_S = 0.1  # real audio kept around each chunk
MERGE_TURN_GAP_S = 1.5  # consecutive chunks of one speaker closer than this form one turn
MONO_NOTE = ("Mono recording: the two speakers cannot be told apart, so every utterance is "
             "scored as the agent's and talk ratio, monologues, interruptions and pace are "
             "unavailable. Record one party per channel, or give a transcript with speakers.")


@dataclass(frozen=True)
class Chunk:
    start: float
    end: float


def chunks_from_intervals(intervals: list[Interval], max_gap: float = MAX_GAP_S,
                          max_len: float = MAX_CHUNK_S) -> list[Chunk]:
    """Merge VAD intervals into utterance chunks; split chunks longer than ``max_len``."""
    groups: list[list[Interval]] = []
    for iv in sorted(intervals, key=lambda i: i.start):
        if iv.end <= iv.start:
            continue
        if groups and iv.start - groups[-1][-1].end < max_gap:
            groups[-1].append(iv)
        else:
            groups.append([iv])
    out: list[Chunk] = []

    def emit(g: list[Interval]) -> None:
        if g[-1].end - g[0].start <= max_len or len(g) == 1:
            if g[-1].end - g[0].start > max_len:  # one long interval without pauses: hard cut
                t = g[0].start
                while t < g[0].end:
                    out.append(Chunk(t, min(t + max_len, g[0].end)))
                    t += max_len
            else:
                out.append(Chunk(g[0].start, g[-1].end))
            return
        # cut at the longest pause; among (nearly) equal pauses the one nearest the middle
        k = max(range(1, len(g)), key=lambda j: (round(g[j].start - g[j - 1].end, 1), -abs(2 * j - len(g))))
        emit(g[:k])
        emit(g[k:])

    for g in groups:
        emit(g)
    return out


@dataclass(frozen=True)
class Piece:
    """One utterance chunk of one channel, to be transcribed inside some window."""

    speaker: str
    samples: np.ndarray  # the whole 16 kHz channel it comes from
    chunk: Chunk

    @property
    def span(self) -> tuple[int, int]:
        a = max(0, int((self.chunk.start - PAD_S) * SR))
        return a, min(self.samples.size, int((self.chunk.end + PAD_S) * SR))


def pack_windows(pieces: list[Piece], window_s: float = WINDOW_S, gap_s: float = JOIN_GAP_S) -> list[list[Piece]]:
    """First-fit decreasing: as few windows as possible (each costs one encoder pass). Order
    inside a window does not matter, since every word is mapped back to its own chunk."""
    windows: list[list[Piece]] = []
    room: list[float] = []
    for p in sorted(pieces, key=lambda p: -(p.span[1] - p.span[0])):
        need = (p.span[1] - p.span[0]) / SR
        for i, r in enumerate(room):
            if need + gap_s <= r:
                windows[i].append(p)
                room[i] -= need + gap_s
                break
        else:
            windows.append([p])
            room.append(window_s - need)
    return windows


def _window_audio(window: list[Piece]) -> tuple[np.ndarray, list[tuple]]:
    """The pieces' audio joined by short gaps, and where each sits:
    (offset in window, call time of its first sample, length, piece)."""
    parts, places = [], []
    gap = np.zeros(int(JOIN_GAP_S * SR), dtype=np.float32)
    pos = 0
    for i, p in enumerate(sorted(window, key=lambda p: (p.speaker, p.chunk.start))):
        a, b = p.span
        if i:
            parts.append(gap)
            pos += gap.size
        places.append((pos / SR, a / SR, (b - a) / SR, p))
        parts.append(p.samples[a:b])
        pos += b - a
    return (np.concatenate(parts) if parts else np.zeros(0, np.float32)), places


def _assign(segments, places: list[tuple]) -> list[tuple[Piece, list[Word], str]]:
    """Give each piece of a window its words, in call time."""
    got: dict[int, tuple[list[Word], list[str]]] = {i: ([], []) for i in range(len(places))}

    def which(t: float) -> int:
        """The piece a word starting at window time ``t`` belongs to: the last piece that began
        before it (a little tolerance for early word times). Whisper tends to time words late, so
        a word in the gap after a piece is that piece's tail."""
        best = 0
        for i, (off, _, _, _) in enumerate(places):
            if off <= t + 0.2:
                best = i
        return best

    def to_call(i: int, t: float) -> float:
        off, a, length, p = places[i]
        return float(min(max(a + (t - off), a), a + length, p.samples.size / SR))

    for s in segments:
        if s.words:
            for w in s.words:
                i = which(w.start)
                got[i][0].append(Word(w.text, round(to_call(i, w.start), 3), round(to_call(i, w.end), 3),
                                      w.probability))
        else:
            got[which(s.start)][1].append(s.text.strip())
    out = []
    for i, (_, _, _, p) in enumerate(places):
        words, texts = got[i]
        text = " ".join([w.text for w in words] + texts).strip()
        if text:
            out.append((p, words, text))
    return out


def _invented(avg_logprob: float, no_speech_prob: float) -> bool:
    return (no_speech_prob > 0.6 and avg_logprob < -1.0) or avg_logprob < -1.5


_encoder_frames: dict[int, int] = {}  # thread id -> mel frames the batched pipeline pads to


def _short_encoder_input() -> None:
    """Let ``BatchedInferencePipeline`` pad features to ``_encoder_frames[thread]`` mel frames
    instead of 3000 (it calls ``faster_whisper.transcribe.pad_or_trim`` with the default).
    Only threads that asked (inside :func:`transcribe_windows`) are affected."""
    import threading

    import faster_whisper.transcribe as fwt

    if getattr(fwt.pad_or_trim, "_coach_short", False):
        return
    orig = fwt.pad_or_trim

    def pad_or_trim(array, length: int = 3000, *, axis: int = -1):
        return orig(array, _encoder_frames.get(threading.get_ident(), length), axis=axis)

    pad_or_trim._coach_short = True
    fwt.pad_or_trim = pad_or_trim


def transcribe_windows(audios: list[np.ndarray], transcriber, options, lang: str | None,
                       batch_size: int = 8, encoder_s: float = ENCODER_S) -> list[list]:
    """Segments (words timed within each window) for each window audio.

    With a faster-whisper model the windows go through ``BatchedInferencePipeline`` together
    (``batch_size`` at a time: the encoder and decoder run on batches, ~1.6x faster on 2 cores
    than one window after the other), each padded to ``encoder_s`` seconds (no window may be
    longer); any other Transcriber is called window by window.
    """
    model = getattr(transcriber, "model", None)
    try:
        from faster_whisper import BatchedInferencePipeline, WhisperModel
    except ImportError:  # pragma: no cover
        WhisperModel = None
    if WhisperModel is None or not isinstance(model, WhisperModel) or len(audios) < 2 or batch_size < 2:
        return [transcriber.transcribe(a, options, lang) if a.size else [] for a in audios]
    from coach.types import Segment

    language = "en" if not getattr(transcriber, "multilingual", True) else (lang or getattr(transcriber, "lang", None))
    clips, pos = [], 0
    for a in audios:
        clips.append({"start": pos / SR, "end": (pos + a.size) / SR})
        pos += a.size
    import threading

    frames = int(round(max(encoder_s, max(a.size for a in audios) / SR + 0.05) * 100))
    _short_encoder_input()
    me = threading.get_ident()
    _encoder_frames[me] = min(frames, 3000)
    try:
        segs, _ = BatchedInferencePipeline(model).transcribe(
            np.concatenate(audios), language=language, clip_timestamps=clips, batch_size=batch_size,
            beam_size=options.beam_size, word_timestamps=True, without_timestamps=True,
            log_progress=False)
        segs = list(segs)  # a generator: decode while the short padding is in force
    finally:
        _encoder_frames.pop(me, None)
    out: list[list] = [[] for _ in audios]
    for s in segs:
        if not s.text.strip() or _invented(s.avg_logprob, s.no_speech_prob):
            continue
        mid = (s.start + s.end) / 2  # segment times are rounded: pick the clip by the middle
        k = max([i for i, c in enumerate(clips) if c["start"] <= mid] or [0])
        off = clips[k]["start"]
        words = tuple(Word(w.word.strip(), w.start - off, w.end - off, float(w.probability))
                      for w in (s.words or ()) if w.word.strip())
        out[k].append(Segment(s.start - off, s.end - off, s.text.strip(), words))
    return out


def transcribe_channels(channels: list[tuple[str, np.ndarray, list[Interval]]], transcriber,
                        options=None, lang: str | None = None
                        ) -> list[tuple[str, float, float, str, tuple[Word, ...]]]:
    """(speaker, start, end, text, words) utterances of 16 kHz channels, speech only.
    ``channels``: (speaker, samples, VAD intervals). The chunks of all channels are packed
    into as few windows as possible per channel and transcribed together by one model."""
    options = options or default_options()
    # English (tiny.en): 22 s windows, encoder fed 23 s. Finnish (base) loses words in short
    # windows (demo call WER 75 % -> 82 %), so it keeps Whisper's full 30 s.
    short = lang in (None, "en")
    window_s, max_len, encoder_s = (WINDOW_S, MAX_CHUNK_S, ENCODER_S) if short else (29.0, 24.0, 30.0)
    windows = []
    for spk, x, ivs in channels:  # one voice per window: mixing voices costs accuracy
        windows += pack_windows([Piece(spk, x, c) for c in chunks_from_intervals(ivs, max_len=max_len)],
                                window_s=window_s)
    audios, layouts = [], []
    for window in windows:
        a, places = _window_audio(window)
        audios.append(a)
        layouts.append(places)
    out = []
    for places, segs in zip(layouts, transcribe_windows(audios, transcriber, options, lang,
                                                        encoder_s=encoder_s)):
        for p, words, text in _assign(segs, places):
            start = min([p.chunk.start] + [w.start for w in words[:1]])
            end = max([p.chunk.end] + [w.end for w in words[-1:]])
            out.append((p.speaker, start, end, text, tuple(words)))
    return out


def merge_turns(utts: list[tuple[str, float, float, str, tuple[Word, ...]]],
                max_gap: float = MERGE_TURN_GAP_S) -> list[Turn]:
    """Order utterances by time; join consecutive ones of the same speaker across short pauses."""
    turns: list[Turn] = []
    for spk, start, end, text, words in sorted(utts, key=lambda u: (u[1], u[2])):
        if turns and turns[-1].speaker == spk and start - (turns[-1].end or 0) < max_gap:
            prev = turns[-1]
            turns[-1] = Turn(spk, f"{prev.text} {text}", prev.start, max(prev.end or end, end),
                             prev.words + words)
        else:
            turns.append(Turn(spk, text, round(start, 3), round(end, 3), words))
    return turns


def default_options():
    from coach.stt import BATCH

    # the VAD already cut the silence; beam 1 at temperature 0 keeps the batch fast
    return BATCH.with_(vad_filter=False, word_timestamps=True, beam_size=1,
                       condition_on_previous_text=False)


def _load(path: str | os.PathLike):
    from coach.audio import load

    return load(path, sr=SR)


def transcript_from_audio(path: str | os.PathLike, agent_channel: str = "left", lang: str = "en",
                          transcriber=None, model: str | None = None, options=None,
                          audio=None) -> Transcript:
    """Transcribe a recorded call (see module docs). ``meta['mono']`` tells which path ran."""
    from coach.audio import resample, same_content
    from coach.vad import channel_intervals

    if agent_channel not in ("left", "right"):
        from coach.errors import InputError

        raise InputError(f"agent channel must be left or right, not {agent_channel!r}")
    audio = audio if audio is not None else _load(path)
    x = audio.samples if audio.sr == SR else resample(audio.samples, audio.sr, SR)
    if transcriber is None:
        from coach.stt import load_transcriber

        transcriber = load_transcriber(model or ("tiny.en" if lang == "en" else "base"), lang=lang)
    options = options or default_options()
    duration = x.shape[1] / SR
    mono = x.shape[0] < 2 or same_content(x[:2, : SR * 60])
    notes = list(getattr(audio, "notes", ()))
    if mono:
        sig = x.mean(axis=0) if x.shape[0] > 1 else x[0]
        ivs = channel_intervals(sig[None, :], sr=SR)[0]
        turns = merge_turns(transcribe_channels([("agent", sig, ivs)], transcriber, options, lang))
        intervals = None
        notes.append(MONO_NOTE)
    else:
        a_ch = 0 if agent_channel == "left" else 1
        c_ch = 1 - a_ch
        ivs = channel_intervals(x[:2], sr=SR)
        turns = merge_turns(transcribe_channels(
            [("agent", x[a_ch], ivs[a_ch]), ("customer", x[c_ch], ivs[c_ch])], transcriber, options, lang))
        intervals = {"agent": tuple(ivs[a_ch]), "customer": tuple(ivs[c_ch])}
    if not turns:
        from coach.errors import AudioError

        raise AudioError("no speech found in the recording (silent or unintelligible)", path)
    return Transcript(turns=tuple(turns), lang=lang, source=os.fspath(path), duration=round(duration, 3),
                      intervals=intervals,
                      meta={"format": "audio", "mono": mono, "channels": int(x.shape[0]),
                            "model": getattr(transcriber, "name", None),
                            "agent_channel": None if mono else agent_channel, "notes": notes})


def session_intervals(wav: str | os.PathLike) -> dict[str, tuple[Interval, ...]] | None:
    """Speech intervals of a practice session's ``session.wav`` (ch0 agent, ch1 persona)."""
    from coach.vad import channel_intervals

    ivs = channel_intervals(Path(wav))
    if len(ivs) < 2:
        return None
    return {"agent": tuple(ivs[0]), "customer": tuple(ivs[1])}


_TALK_FIELDS = ("agent_talk_s", "customer_talk_s", "talk_ratio", "agent_word_share",
                "longest_monologue_s", "longest_customer_story_s", "interactivity_per_min",
                "patience_mean_s", "patience_median_s", "interruptions", "overtalk_s",
                "agent_wpm", "customer_wpm")


def mono_metrics(m: Metrics) -> Metrics:
    """Blank the figures that need two separated speakers; keep silence and duration."""
    return replace(m, **{f: None for f in _TALK_FIELDS}, interruption_times=(), customer_words=0,
                   notes=tuple(m.notes) + (MONO_NOTE,))
