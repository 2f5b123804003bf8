"""The live loop: blocks in, events out. One thread runs this; decoding runs in a worker.

Per 32 ms block: record both channels -> streaming VAD -> turn state. While the agent speaks,
partial transcripts are decoded every ``partial_every_s`` (text is committed once two decodes
agree). At the first short pause (``spec_pause_s``) the turn is decoded in full and the reply is
*prepared* speculatively: rubric findings, the persona's reply on a fork of the persona, and
the rendered speech. If the agent carries on, the preparation is thrown away. Once the silence
reaches the end-of-turn wait for the words heard (coach.turns policy), the prepared reply is
adopted and played. Agent speech over the persona stops it (barge-in) and only the words that
were played stay in the transcript.
"""

from __future__ import annotations

import concurrent.futures as cf
import time
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from coach.live.asr import PartialText, similarity
from coach.live.playback import PersonaSide
from coach.live.turnstate import Prepared, TurnState, better as _better
from coach.live.audio_io import BLOCK, SR, Block
from coach.turns import WAITS, PauseLearner, SpeechTracker, StreamingVad, classify_turn_end, expects_more


@dataclass
class LoopConfig:
    lang: str = "en"
    partial_every_s: float = 1.2
    spec_pause_s: float = 0.032  # start the final decode after this much silence
    barge_in_s: float = 0.08  # this much agent speech over the persona stops it
    preroll_s: float = 0.25
    tail_s: float = 0.15  # silence kept after the last speech in the decoded audio
    recheck_pause_s: float = 0.35  # decode again (pause included) when the words looked unfinished
    freeze_pause_s: float = 0.2  # after a pause this long, the text before it is final...
    # align the final decode to catch a dropped trailing "and": off by default - it adds ~0.1 s
    # per decode and did not reduce cut-offs in benchmarks/live.py (see docs/practice.md)
    align_check: bool = False
    untranscribed_s: float = 0.0  # speech after the aligned last word (normally ~-0.2 s)
    freeze_min_s: float = 3.0  # ... if it covers this much audio and a partial agreed with it
    cutoff_window_s: float = 1.0
    expect_more: bool = True  # wait longer after empathy / an apology with no next step yet
    learn_pauses: bool = True  # the wait after a complete sentence follows the agent's own pauses
    end_after_input_s: float = 2.0
    max_partial_s: float = 25.0
    realtime: bool = True  # False: decodes are charged in audio time (simulated clock)


class LiveLoop(PersonaSide):
    def __init__(self, decoder, persona, rubric, renderer, player, emit: Callable[[dict], None],
                 config: LoopConfig | None = None):
        self.decoder, self.persona, self.rubric, self.renderer = decoder, persona, rubric, renderer
        self.player, self.emit = player, emit
        self.cfg = config or LoopConfig()
        self.vad = StreamingVad()
        self.tracker = SpeechTracker()
        self.pace = PauseLearner()  # the agent's pauses between sentences (coach.turns)
        self._committed: tuple[int, str] | None = None  # speech end and end kind of the last turn
        self._pad = np.zeros(int(0.2 * SR), np.float32)
        self.pool = cf.ThreadPoolExecutor(max_workers=1, thread_name_prefix="decode")
        self.t = 0  # samples processed
        self._blk_start = 0
        self.turn: TurnState | None = None
        self.turn_count = 0
        self._preroll: list[np.ndarray] = []
        self._pending: list[tuple[str, cf.Future, int, int]] = []  # kind, future, version, ready
        self.replies: dict[int, dict] = {}  # utterance id -> reply info
        self.playing: dict | None = None  # current persona utterance
        self.last_persona_start: int | None = None
        self.last_persona_end: int | None = None
        self.interrupted_last = False
        self.cutoffs = 0
        self.withdrawn = 0  # replies committed, then dropped before they were audible
        self._cut_utt: int | None = None  # a reply cut off before its start was reported
        self.barge_ins: list[dict] = []
        self.agent_talk = 0.0
        self.customer_talk = 0.0
        self._speech_since: int | None = None
        self.outcome: str | None = None
        self.ended: str | None = None
        self.mood: Any = None
        self.hits: dict[str, int] = {}
        self.response_times: list[float] = []
        self._before: tuple | None = None
        self._last_decode_s = 0.0
        self._carry = ""

    # --- helpers ---------------------------------------------------------------------------
    def now(self) -> float:
        return self.t / SR

    def _ev(self, type_: str, **data) -> None:
        data = {"t": round(self.now(), 3), "type": type_, **data}
        self.emit(data)

    def _submit(self, kind: str, fn, *args, version: int = 0) -> None:
        fut = self.pool.submit(fn, *args)
        ready = 0
        if not self.cfg.realtime:  # simulated clock: the decode takes its wall time in audio time
            t0 = time.perf_counter()
            fut.result()
            ready = self.t + int((time.perf_counter() - t0) * SR)
        self._pending.append((kind, fut, version, ready))

    def busy(self, kind: str | None = None) -> bool:
        return any(k == kind or kind is None for k, *_ in self._pending)

    # --- the per-block step ----------------------------------------------------------------
    def step(self, blk: Block) -> None:
        start = blk.index * BLOCK
        self._blk_start = start
        self.t = start + len(blk.mic)
        for utt, what, offset, pos in blk.played:
            self._played(utt, what, start + offset, pos)
        changes = self.tracker.push(self.vad.feed(blk.mic))
        for ch in changes:
            if ch.kind == "start":
                self._speech_start(ch.sample)
            else:
                self._speech_end(ch.sample)
        self._collect(blk.mic)
        self._barge_in()
        self._schedule()
        self._poll()
        self._maybe_commit()

    def _collect(self, mic: np.ndarray) -> None:
        if self.turn is not None:
            self.turn.audio.append(mic)
            self.turn.n += len(mic)
        else:
            self._preroll.append(mic)
            keep = int(self.cfg.preroll_s * SR) // BLOCK + 1
            del self._preroll[:-keep]

    def _speech_start(self, sample: int) -> None:
        self._speech_since = sample
        if self.turn is None:
            pre = self._preroll
            n = sum(len(p) for p in pre)
            # the current block is appended after this; the pre-roll ends where it begins
            self.turn = TurnState(self.turn_count, sample, list(pre), n, self._blk_start - n)
            self._preroll = []
            self._ev("speech_start", speaker="agent", at=round(sample / SR, 3), turn=self.turn.index)
        else:
            tr = self.turn
            pause = (sample - (tr.last_end or sample)) / SR
            if pause >= self.cfg.freeze_pause_s:
                # the words before this pause are decoded once and kept: later decodes only
                # cover the audio after it (long turns stay fast)
                boundary = sample - tr.offset - int(min(0.1, pause / 2) * SR)
                tr.freeze[tr.version] = boundary
                if tr.prepared is not None and tr.prepared.version == tr.version:
                    self._freeze(tr, tr.version, tr.prepared)
            tr.pauses[tr.version] = (tr.last_end or sample, pause, sample)
            p = tr.prepared
            if p is not None and p.version == tr.version and p.kind == PauseLearner.KIND:
                # the agent went on after a full stop: the longest silence the end-of-turn
                # check saw in this pause (up to the end of the block before this one)
                self._learn_pause((self._blk_start - (tr.last_end or sample)) / SR)
            tr.version += 1
            tr.prepared = None
            self._ev("speech_resume", turn=tr.index, pause_s=round(pause, 3))
        self._check_cutoff(sample)

    def _speech_end(self, sample: int) -> None:
        if self._speech_since is not None:
            self.agent_talk += (sample - self._speech_since) / SR
            self._ev("speech", speaker="agent", start=round(self._speech_since / SR, 3),
                     end=round(sample / SR, 3))
        self._speech_since = None
        if self.turn is not None:
            self.turn.last_end = sample

    # --- decoding ----------------------------------------------------------------------------
    def _schedule(self) -> None:
        tr = self.turn
        if tr is None:
            return
        if self.tracker.in_speech:
            # partials back off when decoding is slow (a loaded machine): the decoder must be
            # free when the pause comes
            every = max(self.cfg.partial_every_s, 4 * self._last_decode_s)
            if not self.busy() and tr.n - tr.last_partial_n >= every * SR \
                    and tr.n <= self.cfg.max_partial_s * SR:
                tr.last_partial_n = tr.n
                self._submit("partial", self.decoder.decode, tr.samples()[tr.chunk_start:],
                             version=tr.version)
            return
        silence = self.tracker.silence_s()
        speech_end = ((tr.last_end or self.t) - tr.offset - tr.chunk_start) / SR  # in the chunk
        if silence >= self.cfg.spec_pause_s and tr.spec_version != tr.version:
            tr.spec_version = tr.version
            end = (tr.last_end or self.t) - tr.offset + int(self.cfg.tail_s * SR)
            audio = tr.samples()[tr.chunk_start: max(tr.chunk_start, end)]
            self._submit("prepare", self._prepare, audio, tr.prefix, tr.index, tr.version,
                         speech_end, version=tr.version)
        elif silence >= self.cfg.recheck_pause_s and tr.recheck_version != tr.version \
                and tr.prepared is not None and tr.prepared.kind in ("unfinished", "empty", "trailing"):
            # Whisper often leaves out the full stop when little silence follows the words;
            # decode again with the pause included before waiting the long "unfinished" time
            tr.recheck_version = tr.version
            self._submit("prepare", self._prepare, tr.samples()[tr.chunk_start:], tr.prefix,
                         tr.index, tr.version, speech_end, version=tr.version)

    def _prepare(self, audio: np.ndarray, prefix: str, index: int, version: int,
                 speech_end_s: float = 0.0) -> Prepared:
        t0 = time.perf_counter()
        # a little digital silence after the words helps Whisper finish the last word
        hyp = self.decoder.decode(np.concatenate([audio, self._pad]), align=self.cfg.align_check)
        text = " ".join(x for x in (prefix, hyp.text) if x)
        kind = classify_turn_end(text, self.cfg.lang)
        if kind in ("complete", "question", "opener") and hyp.last_word_end is not None \
                and speech_end_s - hyp.last_word_end > self.cfg.untranscribed_s:
            kind = "unfinished"  # speech went on after the last word Whisper wrote ("and", "umm")
        findings, persona, reply, speech = [], None, None, np.zeros(0, np.float32)
        if text:
            heard = " ".join(x for x in (self._carry, text) if x)  # after a cut-off: both parts
            findings = self.rubric.match(heard, index) if self.rubric is not None else []
            persona = self.persona.fork()
            events = {"interrupted": self.interrupted_last, "silence_s": self._agent_pause(),
                      "turn_index": index}
            reply = persona.reply(heard, findings, events)
            speech = self.renderer.render(reply.text) if reply.text else speech
            kind = expects_more(kind, heard, findings) if self.cfg.expect_more else kind
        return Prepared(version, text, kind, WAITS[kind], findings, persona, reply, speech,
                        hyp.decode_s * 1000, (time.perf_counter() - t0) * 1000, hyp.text)

    def _learn_pause(self, seen_s: float) -> None:
        if self.cfg.learn_pauses:
            self.pace.observe(seen_s)

    def _wait(self, p: Prepared) -> float:
        """The end-of-turn wait for a prepared decode: the policy's, after a complete sentence
        adapted to the agent's own pauses between sentences."""
        return self.pace.wait(p.kind, p.wait) if self.cfg.learn_pauses else p.wait

    def _agent_pause(self) -> float:
        if self.turn is None or self.last_persona_end is None:
            return 0.0
        return max(0.0, (self.turn.start - self.last_persona_end) / SR)

    def _poll(self) -> None:
        keep = []
        for kind, fut, version, ready in self._pending:
            if not fut.done() or (ready and self.t < ready):
                keep.append((kind, fut, version, ready))
                continue
            try:
                result = fut.result()
            except Exception as exc:  # noqa: BLE001 - reported, the call goes on
                self._ev("error", where=kind, message=str(exc))
                continue
            tr = self.turn
            if tr is None:
                continue
            self._last_decode_s = getattr(result, "decode_s", None) or \
                getattr(result, "decode_ms", 0.0) / 1000
            if kind == "partial":
                committed, tentative = tr.partial.update(result.text)
                committed = " ".join(x for x in (tr.prefix, committed) if x)
                self._ev("partial", turn=tr.index, text=committed, tentative=tentative,
                         decode_ms=round(result.decode_s * 1000, 1))
            elif kind == "prepare":
                pause = tr.pauses.get(version)
                if pause is not None and version < tr.version and result.text \
                        and pause[1] >= self._wait(result):
                    self._late_split(tr, result, *pause)
                    continue
                if version in tr.freeze and version < tr.version:
                    self._freeze(tr, version, result)
                fresh = version == tr.version
                self._ev("prepared", turn=tr.index, text=result.text, end_kind=result.kind,
                         wait_s=self._wait(result), decode_ms=round(result.decode_ms, 1),
                         prepare_ms=round(result.prep_ms, 1), used=fresh)
                if fresh and _better(result, tr.prepared):
                    tr.prepared = result
        self._pending = keep

    def _late_split(self, tr: TurnState, result: Prepared, end: int, pause: float, resume: int) -> None:
        """The decode came back after the agent had paused long enough to end the turn, but had
        already started again (a slow machine): the first part becomes its own agent turn, with
        no reply (the agent is talking now); its words are answered with the next turn."""
        self._ev("late_turn_end", turn=tr.index, pause_s=round(pause, 3),
                 decode_ms=round(result.decode_ms, 1))
        self._ev("turn", speaker="agent", index=tr.index, text=result.text,
                 start=round(tr.start / SR, 3), end=round(end / SR, 3), end_kind=result.kind,
                 wait_s=self._wait(result), silence_s=round(pause, 3), decode_ms=round(result.decode_ms, 1),
                 prepare_ms=round(result.prep_ms, 1), answered=False)
        if result.findings:
            for f in result.findings:
                iid = getattr(f, "item_id", str(f))
                self.hits[iid] = self.hits.get(iid, 0) + 1
            self._ev("findings", turn=tr.index, items=result.findings)
        self._carry = " ".join(x for x in (self._carry, result.text) if x)
        self.turn_count += 1
        cut = max(0, resume - tr.offset - int(min(0.1, pause / 2) * SR))
        audio = tr.samples()[cut:]
        new = TurnState(self.turn_count, resume, [audio], len(audio), tr.offset + cut)
        new.version, new.last_end, new.last_partial_n = tr.version, tr.last_end, 0
        self.turn = new

    def _freeze(self, tr: TurnState, version: int, result: Prepared) -> None:
        boundary = tr.freeze.pop(version, None)
        if boundary is None or boundary <= tr.chunk_start or not result.text:
            return
        # only text worth keeping: a chunk long enough to matter, that a partial decode agrees with
        if boundary - tr.chunk_start < self.cfg.freeze_min_s * SR:
            return
        if similarity(tr.partial.last, result.chunk_text) < 0.6:
            return
        tr.prefix, tr.chunk_start = result.text, boundary
        tr.partial = PartialText()
        for v in [v for v in tr.freeze if v < version]:
            tr.freeze.pop(v)  # older boundaries lie inside the frozen text now

    # --- end of turn --------------------------------------------------------------------------
    def _maybe_commit(self) -> None:
        tr = self.turn
        if tr is None or self.tracker.in_speech or self.tracker.rising or tr.prepared is None:
            return
        p = tr.prepared
        silence = self.tracker.silence_s()
        if not p.text:
            if silence >= WAITS["empty"]:
                self._ev("noise", turn=tr.index, start=round(tr.start / SR, 3))
                self.turn = None
            return
        if silence < self._wait(p):
            return
        self._commit(tr, p, silence)

    def _commit(self, tr: TurnState, p: Prepared, silence: float) -> None:
        end = tr.last_end or self.t
        self._committed = (end, p.kind)
        self._ev("turn", speaker="agent", index=tr.index, text=p.text, start=round(tr.start / SR, 3),
                 end=round(end / SR, 3), end_kind=p.kind, wait_s=self._wait(p),
                 silence_s=round(silence, 3), decode_ms=round(p.decode_ms, 1),
                 prepare_ms=round(p.prep_ms, 1))
        if p.findings:
            for f in p.findings:
                iid = getattr(f, "item_id", str(f))
                self.hits[iid] = self.hits.get(iid, 0) + 1
            self._ev("findings", turn=tr.index, items=p.findings)
        self._before = (self.persona, p.text, self.outcome, self.mood)  # undone on a cut-off
        self.persona = p.persona
        r = p.reply
        self.mood = r.mood
        self.outcome = r.outcome
        self._ev("reply_chosen", turn=tr.index, text=r.text, mood=r.mood, outcome=r.outcome,
                 persona_ms=round(r.elapsed_ms, 2), audio_s=round(len(p.audio) / SR, 3))
        self.interrupted_last = False
        self._carry = ""
        self.turn = None
        self.turn_count += 1
        if len(p.audio):
            utt = self.player.start(p.audio)
            self.replies[utt] = {"text": r.text, "samples": len(p.audio), "commit": end,
                                 "committed_at": self.t}

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


__all__ = ["LiveLoop", "LoopConfig", "Prepared", "TurnState"]
