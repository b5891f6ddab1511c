"""`python -m bot demo --fast` runs from start to end on a fresh checkout, as a newcomer would,
and reads as a story: the chats' messages, each tap, no log lines."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PG, ROOT

LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[,.]\d+ (DEBUG|INFO|WARNING|ERROR)", re.M)


def chats(out: str) -> list[tuple[str, str]]:
    """(chat, line) for each line the transcript shows under a chat's heading."""
    chat, lines = "", []
    for line in out.splitlines():
        if line.startswith("── "):
            chat = line[3:]
        elif line.startswith("   ") and chat:
            lines.append((chat, line.strip()))
        else:
            chat = ""
    return lines


@pytest.mark.slow
@pytest.mark.skipif(bool(PG), reason="the demo keeps its own SQLite database; run once")
def test_demo_plays_to_the_end(tmp_path: Path) -> None:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "TMPDIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "bot", "demo", "--fast"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = done.stdout
    assert "已绑定 54 个群" in out
    assert "接入比例：37/37" in out
    assert "【点名结果】" in out and "预警确认记录" in out
    assert out.rstrip().endswith("演示结束。")

    shown = chats(out)
    assert ("青川县应急管理局", "👆 王建国 点击 [批准]") in shown
    assert ("青川县水利局防汛抢险突击队", "💬 华建军：冲锋舟在水库值守，无法抽调") in shown
    # The board kept in the brigade's and the bureau's chats: in full once, then "same".
    assert any(line.startswith("🤖 （已编辑）同上") for _, line in shown)
    # T2: the brigade and the bureau are told which force is still silent.
    pair = {"青川县消防救援大队", "青川县应急管理局"}
    silent = [i for i, (_, line) in enumerate(shown) if "【未响应力量】" in line]
    assert len(silent) == 1 and shown[silent[0]][0] in pair
    (other,) = pair - {shown[silent[0]][0]}
    copy = next(line for chat, line in shown[silent[0]:] if chat == other)
    assert copy.startswith("🤖 同上")
    # The demo's clock jumps wait for the outbox: no notice looks late.
    assert "【延迟】" not in out

    # The terminal shows the chats only; the logs are in the file the first line names.
    assert not LOG_LINE.search(out) and done.stderr == ""
    log_file = tmp_path / "rescuebot-demo.log"
    assert str(log_file) in out.splitlines()[0]
    assert "aiogram.event" in log_file.read_text(encoding="utf-8")
    assert not list(tmp_path.glob("rescuebot-demo-*")), "the temporary folder is removed"
