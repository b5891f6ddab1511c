"""`python -m bot demo --fast` runs from start to end on a fresh checkout, as a newcomer would."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import PG, ROOT


@pytest.mark.skipif(bool(PG), reason="the demo keeps its own SQLite database; run once")
def test_demo_plays_to_the_end() -> None:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "RESCUEBOT_LOG_LEVEL": "WARNING"}
    done = subprocess.run([sys.executable, "-m", "bot", "demo", "--fast"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = done.stdout
    assert "已绑定 54 个群" in out
    assert "接入比例：37/37" in out
    assert "【点名结果】" in out and "预警确认记录" in out
    assert out.rstrip().endswith("演示结束 demo finished.")
    assert "Traceback" not in done.stderr
