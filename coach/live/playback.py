"""The persona's side of the live loop: what was actually played, barge-in and cut-offs.

A mixin of :class:`coach.live.loop.LiveLoop` (it uses the loop's state: ``player``,
``replies``, ``playing``, ``persona``...). Kept apart so the agent side (VAD, decoding, end of
turn) and the persona side can be read on their own.
"""

from __future__ import annotations

from coach.live.audio_io import SR
from coach.live.turnstate import cut_text


class PersonaSide:
    def _check_cutoff(self, sample: int) -> None:
        """A cut-off: the persona started and the agent carries on within 1 s (or had just
        carried on as it started). A reply committed but not handed to the output yet when the
        agent carries on is withdrawn: nobody hears it, so it is no cut-off (counted apart)."""
        if self._before is None:
            return  # no reply of this turn to undo (none yet, or already undone)
        if self.playing is not None and self.last_persona_start is not None:
            if -0.3 * SR <= sample - self.last_persona_start <= self.cfg.cutoff_window_s * SR:
                self._cutoff(self.last_persona_start, sample)
        elif self.replies and self.playing is None:
            if getattr(self.player, "sounding", False):  # already in the output buffer
                self._cutoff(sample, sample)
            else:
                self.withdrawn += 1
                self._undo_reply()
                self._ev("reply_withdrawn", agent_resumed=round(sample / SR, 3))

    def _cutoff(self, persona_start: int, sample: int) -> None:
        self.cutoffs += 1
        if self._committed is not None and self._committed[1] == self.pace.KIND:
            # the pause after a complete sentence was one inside the turn: wait longer next time
            self._learn_pause((self._blk_start - self._committed[0]) / SR)
        self._undo_reply()
        self._ev("cutoff", persona_started=round(persona_start / SR, 3), agent_resumed=round(sample / SR, 3))

    def _undo_reply(self) -> None:
        """The persona jumped in while the agent was still talking: it stops (barge-in), its
        reply does not count for the persona (mood, outcome), and the agent's words before and
        after the pause are answered together."""
        if self._before is None:
            return
        self.persona, text, self.outcome, self.mood = self._before
        self._carry = text
        self._before = None
        self.player.stop()
        if self.playing is None:
            self._cut_utt = self.player.utterance  # its start has not been reported yet
        else:
            self.playing["stopping"], self.playing["cutoff"] = True, True
            self.playing.setdefault("barge_at", self._speech_since or self.t)

    def _barge_in(self) -> None:
        if self.playing is None or not self.tracker.in_speech or self._speech_since is None:
            return
        if self.playing.get("stopping"):
            return
        # (also when the agent was already talking as the persona started: it must stop)
        if self.t - self._speech_since >= self.cfg.barge_in_s * SR:
            self.player.stop()
            self.playing["stopping"] = True
            self.playing["barge_at"] = self._speech_since
            self._ev("barge_in", agent_started=round(self._speech_since / SR, 3))

    def _played(self, utt: int, what: str, sample: int, pos: int) -> None:
        info = self.replies.get(utt)
        if info is None:
            return
        if what == "start":
            self.playing = {"utt": utt, "start": sample, **info}
            if utt == self._cut_utt:  # cut off while in the output buffer: it stops at once
                self.playing.update(stopping=True, cutoff=True, barge_at=sample)
            self.last_persona_start = sample
            self._ev("persona_start", utt=utt, at=round(sample / SR, 3),
                     response_s=round((sample - info["commit"]) / SR, 3))
            self.response_times.append((sample - info["commit"]) / SR)
            return
        if what == "stop" and self.playing is None and pos == 0:
            self.replies.pop(utt, None)  # withdrawn before a sample was played: nothing happened
            return
        playing = self.playing or {"start": sample, **info}
        played = pos
        frac = played / max(1, info["samples"])
        heard = cut_text(info["text"], frac) if what == "stop" else info["text"]
        self.customer_talk += played / SR
        self.last_persona_end = sample
        if heard:  # (a reply stopped before its first word leaves no customer turn)
            self._ev("turn", speaker="customer", text=heard, full_text=info["text"],
                     start=round(playing["start"] / SR, 3), end=round(sample / SR, 3),
                     interrupted=what == "stop", played_s=round(played / SR, 3))
        if what == "stop":
            self.interrupted_last = not playing.get("cutoff", False)
            barge = playing.get("barge_at", sample)
            stop_ms = (sample - barge) / SR * 1000
            self.barge_ins.append({"agent_started": barge / SR, "stopped": sample / SR,
                                   "stop_ms": stop_ms})
            self._ev("persona_stopped", utt=utt, stop_ms=round(stop_ms, 1), heard=heard)
        self.playing = None
        self.replies.pop(utt, None)



__all__ = ["PersonaSide"]
