"""Bot processes for the operations tests: `python -m bot run` as a supervisor would start it."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from sandbox import Sandbox
from tests.conftest import ROOT, TOKEN
from tests.delivery.test_crash import until

POSTGRES = os.environ.get("RESCUEBOT_TEST_POSTGRES")
REDIS = os.environ.get("RESCUEBOT_TEST_REDIS")


class RunningBot:
    """One `python -m bot run` process against the sandbox; its stderr kept in a file."""

    def __init__(self, sandbox: Sandbox, database_url: str, log: Path,
                 **env: str) -> None:
        self.sandbox, self.log = sandbox, log
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "RESCUEBOT_TOKEN": TOKEN,
            "RESCUEBOT_API_URL": sandbox.base_url,
            "RESCUEBOT_DATABASE_URL": database_url,
            "RESCUEBOT_LOG_LEVEL": "INFO",
            "RESCUEBOT_SWEEP_SECONDS": "1",
            "RESCUEBOT_DELIVERY__POLL_SECONDS": "0.2",
            "RESCUEBOT_DATA__REMINDERS": "false",
            "RESCUEBOT_ASSESS__MONTHLY_DAY": "0",
            **env,
        }
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        """Started once it polls; a start refused (a killed bot's PostgreSQL lock not yet
        released) is tried again."""
        for _ in range(10):
            before = self.sandbox.stats.calls.get("getUpdates", 0)
            with self.log.open("ab") as err:
                self.proc = await asyncio.create_subprocess_exec(
                    sys.executable, "-m", "bot", "run", cwd=ROOT, env=self.env,
                    stdout=asyncio.subprocess.DEVNULL, stderr=err)
            proc = self.proc

            def polling(proc: asyncio.subprocess.Process = proc, before: int = before) -> bool:
                return (self.sandbox.stats.calls.get("getUpdates", 0) > before
                        or proc.returncode is not None)

            await until(polling, 60)
            if proc.returncode is None:
                return
            await asyncio.sleep(1)
        raise AssertionError(f"the bot did not start:\n{self.log.read_text()[-3000:]}")

    async def kill(self) -> None:
        assert self.proc is not None
        self.proc.kill()  # SIGKILL: no clean-up of any kind
        await self.proc.wait()

    async def stop(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.kill()
            await self.proc.wait()


async def console(*args: str, env: dict[str, str]) -> tuple[int, str, str]:
    """`python -m bot ARGS` with only ``env`` (and PATH): exit status, stdout, stderr."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=ROOT,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await proc.communicate()
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()
