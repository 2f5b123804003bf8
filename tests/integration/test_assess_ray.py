"""`--engine ray`: the batch as Ray tasks on a local Ray instance this test starts."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def ray_local():
    ray = pytest.importorskip("ray", reason="the ray extra is part of `make test` (setup-all)")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield ray
    ray.shutdown()


def test_batch_as_ray_tasks(ray_local, tmp_path):
    from coach.assessment import AssessOptions
    from coach.batch import discover, plan, run_ray

    calls = tmp_path / "calls"
    calls.mkdir()
    for n in ("anna_2026-11-20_good_en", "ben_2026-11-20_poor_en", "sanna_2026-11-21_good_fi"):
        shutil.copy(REPO / "audio_samples" / "transcripts" / f"{n}.json", calls)
    shutil.copy(REPO / "audio_samples" / "ben_2026-11-20_poor_en.flac", tmp_path / "calls" / "audio_en.flac")
    (calls / "bad.json").write_text('{"lang": "en", "turns": [{"speaker": "agent", "text": ""}]}')
    jobs = plan(discover([calls], tmp_path / "out"), tmp_path / "out")
    seen = []
    outs = run_ray(jobs, AssessOptions(), on_done=seen.append)
    assert len(outs) == len(seen) == 5
    bad = [o for o in outs if not o.ok]
    assert [Path(o.input).name for o in bad] == ["bad.json"] and "empty turn" in bad[0].error
    scores = {Path(o.input).stem: o.card.score for o in outs if o.ok}
    assert scores["anna_2026-11-20_good_en"] > scores["ben_2026-11-20_poor_en"]
    audio = next(o for o in outs if o.input.endswith(".flac"))
    assert audio.card.meta["model"] == "tiny.en" and audio.card.transcript.intervals["agent"]
    for o in outs:
        if o.ok:
            assert json.loads(Path(o.json_out).read_text())["score"] == round(o.card.score, 1)


def test_cli_engine_ray_with_address(tmp_path):
    """`coach assess DIR --engine ray --address ADDR` against `ray start --head --block` on
    127.0.0.1, run in its own process group and stopped by that group's id (not `ray stop`,
    which would end every Ray on the machine)."""
    import os
    import signal
    import time

    ray_bin = Path(sys.executable).parent / "ray"
    if not ray_bin.exists():
        pytest.skip("ray CLI not installed")
    import tempfile

    port = 26379 + os.getpid() % 1000
    temp = tempfile.mkdtemp(prefix="cray", dir="/tmp")  # short: Ray's socket paths are limited
    head = subprocess.Popen([str(ray_bin), "start", "--head", "--block", "--node-ip-address=127.0.0.1",
                             f"--port={port}", "--num-cpus=2", "--include-dashboard=false",
                             "--disable-usage-stats", f"--temp-dir={temp}"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        deadline, log = time.time() + 120, []
        while time.time() < deadline:
            line = head.stdout.readline()
            log.append(line)
            if "Ray runtime started" in line or head.poll() is not None:
                break
        assert head.poll() is None and "Ray runtime started" in "".join(log), "".join(log)[-2000:]
        calls = tmp_path / "calls"
        calls.mkdir()
        shutil.copy(REPO / "audio_samples" / "transcripts" / "anna_2026-11-20_good_en.json", calls)
        shutil.copy(REPO / "audio_samples" / "transcripts" / "ben_2026-11-20_poor_en.json", calls)
        r = subprocess.run([sys.executable, "-m", "coach", "assess", str(calls), "--out", str(tmp_path / "out"),
                            "--engine", "ray", "--address", f"127.0.0.1:{port}", "--no-store"],
                           capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr[-3000:]
        assert "2 assessed" in r.stderr
        assert (tmp_path / "out" / "anna_2026-11-20_good_en.scorecard.json").is_file()
    finally:
        try:
            os.killpg(head.pid, signal.SIGTERM)
            head.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(head.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        shutil.rmtree(temp, ignore_errors=True)
