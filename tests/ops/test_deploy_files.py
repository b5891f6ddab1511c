"""Dockerfile, compose.yaml and deploy/: docker cannot run here, so these check that the files
parse, name only files that exist and settings that exist, and that the healthcheck script
answers as a container's HEALTHCHECK must."""

from __future__ import annotations

import asyncio
import configparser
import fnmatch
import os
import sys
from collections.abc import AsyncIterator

import pytest
import yaml
from aiohttp import web
from pydantic import BaseModel

from bot.settings import Settings
from tests.conftest import ROOT

DOCKERFILE = ROOT / "Dockerfile"


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuations joined and comments dropped."""
    out: list[tuple[str, str]] = []
    pending = ""
    for raw in DOCKERFILE.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        pending = f"{pending} {line}".strip()
        if pending.endswith("\\"):
            pending = pending[:-1].rstrip()
            continue
        word, _, rest = pending.partition(" ")
        out.append((word.upper(), rest.strip()))
        pending = ""
    assert not pending, "a continuation runs off the end"
    return out


def setting_names() -> set[str]:
    names = set()

    def walk(model: type[BaseModel], prefix: str) -> None:
        for name, field in model.model_fields.items():
            kind = field.annotation
            if isinstance(kind, type) and issubclass(kind, BaseModel):
                walk(kind, f"{prefix}{name.upper()}__")
            else:
                names.add(f"{prefix}{name.upper()}")

    walk(Settings, "RESCUEBOT_")
    return names


def test_dockerfile_is_multi_stage_non_root_with_a_healthcheck() -> None:
    known = {"FROM", "WORKDIR", "COPY", "RUN", "ENV", "USER", "VOLUME", "EXPOSE", "HEALTHCHECK",
             "STOPSIGNAL", "CMD", "ARG", "LABEL", "ENTRYPOINT"}
    steps = instructions()
    assert {word for word, _ in steps} <= known
    stages = [i for i, (word, _) in enumerate(steps) if word == "FROM"]
    assert len(stages) == 2, "build stage and runtime stage"
    runtime = steps[stages[-1]:]
    users = [rest for word, rest in runtime if word == "USER"]
    assert users and users[-1] not in ("root", "0")
    health = next(rest for word, rest in runtime if word == "HEALTHCHECK")
    assert "/app/healthcheck.py" in health
    # Only wheels and the healthcheck reach the runtime stage: no source tree, no dev tools.
    copies = [rest for word, rest in runtime if word == "COPY"]
    assert copies == ["--from=build /wheels /wheels", "deploy/healthcheck.py /app/healthcheck.py"]
    assert not any("[dev]" in rest for word, rest in steps if word == "RUN")
    assert steps[-1] == ("CMD", '["python", "-m", "bot", "run"]')


def test_every_file_the_dockerfile_copies_exists_and_is_not_ignored() -> None:
    ignored = [p.strip() for p in (ROOT / ".dockerignore").read_text().splitlines()
               if p.strip() and not p.startswith("#")]
    sources = []
    for word, rest in instructions():
        if word == "COPY" and not rest.startswith("--from="):
            sources += rest.split()[:-1]
    assert "pyproject.toml" in sources and "deploy/healthcheck.py" in sources
    for source in sources:
        assert (ROOT / source).exists(), source
        assert not any(fnmatch.fnmatch(source, p) for p in ignored), source
    # Every package pyproject.toml builds is copied into the build stage.
    packages = {"core", "bot", "storage", "scheduler", "sandbox", "demo", "locales", "bench",
                "documents"}
    assert packages <= set(sources)
    # The demo's example county is a link to examples/: both must be in the build.
    assert (ROOT / "demo" / "examples" / "county.yaml").resolve().is_relative_to(
        ROOT / "examples") and "examples" in sources


def test_compose_file_parses_and_names_what_exists() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"bot", "postgres", "redis"}
    for name, service in services.items():
        assert service["restart"] == "unless-stopped", name
        assert service["healthcheck"]["test"], name
        for volume in service.get("volumes", []):
            assert volume.split(":")[0] in compose["volumes"], (name, volume)
    bot = services["bot"]
    assert (ROOT / bot["build"]["context"] / bot["build"]["dockerfile"]).exists()
    assert set(bot["depends_on"]) == {"postgres", "redis"}
    assert bot["healthcheck"]["test"] == ["CMD", "python", "/app/healthcheck.py"]
    env = bot["environment"]
    assert set(env) <= setting_names(), set(env) - setting_names()
    assert env["RESCUEBOT_DATABASE_URL"].startswith("postgresql+asyncpg://rescuebot:")
    assert env["RESCUEBOT_REDIS_URL"] == "redis://redis:6379/0"


def test_env_example_and_systemd_unit() -> None:
    names = setting_names()
    for line in (ROOT / "deploy" / "env.example").read_text().splitlines():
        key = line.lstrip("# ").split("=", 1)[0]
        if "=" in line and key.startswith("RESCUEBOT_"):
            assert key in names, key
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(ROOT / "deploy" / "rescuebot.service")
    assert set(unit.sections()) == {"Unit", "Service", "Install"}
    assert unit["Service"]["ExecStart"].endswith("python -m bot run")
    assert unit["Service"]["User"] == "rescuebot" and unit["Service"]["Restart"] == "always"


@pytest.fixture
async def healthz() -> AsyncIterator[tuple[int, list[int]]]:
    """A /healthz answering with the status at the head of the list."""
    statuses = [200]

    async def answer(_: web.Request) -> web.Response:
        status = statuses[0]
        return web.Response(status=status, text="ok" if status == 200 else "database: down")

    server = web.Application()
    server.router.add_get("/healthz", answer)
    runner = web.AppRunner(server)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield site._server.sockets[0].getsockname()[1], statuses  # type: ignore[union-attr]
    await runner.cleanup()


async def healthcheck(**env: str) -> tuple[int, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, str(ROOT / "deploy" / "healthcheck.py"),
        env={"PATH": os.environ.get("PATH", ""), **env}, stdout=asyncio.subprocess.PIPE)
    out, _ = await proc.communicate()
    assert proc.returncode is not None
    return proc.returncode, out.decode().strip()


async def test_healthcheck_script(healthz: tuple[int, list[int]]) -> None:
    port, statuses = healthz
    assert await healthcheck(RESCUEBOT_METRICS__PORT=str(port)) == (
        0, f"http://127.0.0.1:{port}/healthz: 200 ok")
    # Webhook mode: /healthz beside the webhook.
    code, _ = await healthcheck(RESCUEBOT_WEBHOOK__URL="https://x.org/t",
                                RESCUEBOT_WEBHOOK__PORT=str(port))
    assert code == 0
    statuses[0] = 503
    code, out = await healthcheck(RESCUEBOT_METRICS__PORT=str(port))
    assert code == 1 and "503 database: down" in out
    code, out = await healthcheck()
    assert code == 1 and "no health endpoint" in out
