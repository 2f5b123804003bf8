"""CLI sub-commands. Each module exposes ``COMMANDS``; see :mod:`coach.cli`."""
