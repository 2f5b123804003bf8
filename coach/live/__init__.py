"""Live practice: the real-time voice loop (see docs/practice.md).

Stages, each in its own module: ``audio_io`` (microphone / WAV source, persona player),
``coach.turns`` (streaming VAD + end-of-turn policy), ``asr`` (low-latency Whisper decoding and
the commit rule for partials), ``engines`` (adapters to persona, rubric, TTS), ``loop`` (the
per-block state machine), ``recorder`` (session.wav + events.jsonl, crash-safe), ``screen``
(rich live screen or plain lines), ``finish`` (transcript + scorecard + report), ``session``
(``run_live``: wires them together).
"""
