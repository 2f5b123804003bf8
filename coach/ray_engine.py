"""Run a batch of calls as Ray tasks (``coach assess DIR --engine ray [--address ADDR]``).

Each Ray worker process keeps one :class:`coach.assessment.Assessor` (so one loaded speech
model) across the tasks it runs. Workers write each call's scorecard and report themselves, so on
a multi-machine cluster the input and output folders must be on a shared filesystem. Where the
cluster has GPUs, tasks ask for a share of one and faster-whisper runs with ``device="cuda"``.
Ray is imported lazily; it is the ``ray`` extra.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from coach.assessment import AssessOptions, Assessor
from coach.batch import Job, Outcome, run_job
from coach.errors import CoachError

_assessors: dict[AssessOptions, Assessor] = {}


def _task(job: Job, opts: AssessOptions) -> Outcome:
    a = _assessors.get(opts)
    if a is None:
        try:
            a = _assessors[opts] = Assessor(opts)
        except CoachError as exc:
            return Outcome(job.input, False, error=str(exc))
    return run_job(a, job)


def run(jobs: list[Job], opts: AssessOptions, address: str | None = None,
        on_done: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    try:
        import ray
    except ImportError:
        raise CoachError("--engine ray needs Ray: pip install 'coach[ray]'") from None
    started = False
    if not ray.is_initialized():
        try:
            ray.init(address=address, include_dashboard=False, log_to_driver=False,
                     ignore_reinit_error=True, configure_logging=False)
        except Exception as exc:  # noqa: BLE001 - connection errors come in many types
            raise CoachError(f"cannot start or reach Ray{' at ' + address if address else ''}: {exc}") from None
        started = True
    try:
        gpus = float(ray.cluster_resources().get("GPU", 0))
        if gpus > 0 and opts.device == "auto":
            opts = replace(opts, device="cuda")
        remote = ray.remote(num_cpus=1, num_gpus=0.25 if gpus > 0 else 0, max_retries=1)(_task)
        refs = {remote.remote(job, opts): job for job in jobs}
        pending, done = list(refs), []
        while pending:
            ready, pending = ray.wait(pending, num_returns=1)
            for r in ready:
                try:
                    o = ray.get(r)
                except Exception as exc:  # noqa: BLE001 - a task or worker that died
                    o = Outcome(refs[r].input, False, error=f"Ray task failed: {type(exc).__name__}: {exc}")
                done.append(o)
                if on_done:
                    on_done(o)
        return done
    finally:
        if started:
            ray.shutdown()
