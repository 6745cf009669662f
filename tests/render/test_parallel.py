"""Layout workers: they never outlive the build that started them, and GUIDE_JOBS is checked."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from guide.errors import GuideError
from guide.render.parallel import workers

REPOSITORY = Path(__file__).resolve().parents[2]


def children(pid: int) -> set[int]:
    """The processes whose parent is ``pid``."""
    found = set()
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if entry.name.isdigit() and int(fields[1]) == pid:
            found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_die_with_a_build_killed_by_sigkill(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(REPOSITORY / "benchmarks" / "generate.py"), "300", str(tmp_path)],
                   check=True, capture_output=True)
    env = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"} | {"GUIDE_JOBS": "2"}
    build = subprocess.Popen([sys.executable, "-m", "guide", "build", "--format", "handouts"], cwd=tmp_path,
                             env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while len(workers_seen := children(build.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(workers_seen) >= 2, "the build started no workers"
        build.send_signal(signal.SIGKILL)
        build.wait()
        deadline = time.monotonic() + 10
        while any(map(alive, workers_seen)) and time.monotonic() < deadline:
            time.sleep(0.1)
        survivors = [pid for pid in workers_seen if alive(pid)]
    finally:
        build.kill()
    for pid in survivors:
        os.kill(pid, signal.SIGKILL)
    assert survivors == []


@pytest.mark.parametrize("value", ["abc", "0", "-2", "1.5"])
def test_guide_jobs_must_be_a_whole_number(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GUIDE_JOBS", value)
    with pytest.raises(GuideError, match=f'GUIDE_JOBS="{value}" must be a whole number of processes'):
        workers()


def test_formats_made_apart_come_back_in_order_with_what_their_layouts_learnt(tmp_path: Path, monkeypatch) -> None:
    from guide.render.parallel import run_apart
    from guide.render.pdf import Layout
    from guide.render.theme import Theme

    monkeypatch.setenv("GUIDE_JOBS", "2")
    layout = Layout(Theme.for_project(tmp_path), (tmp_path,), tmp_path)

    def make(name: str, seconds: float) -> tuple[str, int]:
        time.sleep(seconds)  # the first to start finishes last
        layout.warnings.append(f"{name} warned")
        return name, os.getpid()

    results = list(run_apart(layout, [lambda: make("cheatsheet", 0.3), lambda: make("guide", 0)]))
    assert [name for name, _ in results] == ["cheatsheet", "guide"]
    assert len({pid for _, pid in results} | {os.getpid()}) == 3
    assert sorted(layout.warnings) == ["cheatsheet warned", "guide warned"]
