# rescuebot: multi-stage. The build stage turns the project and its dependencies into wheels;
# the runtime stage installs only those wheels (no compiler, no dev tools, no source tree) and
# runs as an unprivileged user. Not built on the machines this project is developed on (no
# Docker there): tests/ops/test_deploy_files.py checks that this file parses and that every
# file it copies exists.

FROM python:3.11-slim AS build
WORKDIR /src
# Only what the wheel is built from (pyproject.toml's packages and their data).
COPY pyproject.toml README.md ./
COPY core ./core
COPY bot ./bot
COPY storage ./storage
COPY scheduler ./scheduler
COPY sandbox ./sandbox
COPY demo ./demo
COPY examples ./examples
COPY locales ./locales
COPY bench ./bench
COPY documents ./documents
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim AS runtime
# SQLite by default, on the volume (compose.yaml sets PostgreSQL and Redis instead); /healthz
# and /metrics served while polling, so the HEALTHCHECK below has something to ask.
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    RESCUEBOT_DATABASE_URL=sqlite+aiosqlite:////app/data/rescuebot.db \
    RESCUEBOT_METRICS__PORT=9100 \
    RESCUEBOT_METRICS__HOST=0.0.0.0
COPY --from=build /wheels /wheels
RUN pip install --no-index --find-links=/wheels rescuebot && rm -rf /wheels \
    && useradd --system --uid 10001 --user-group --home-dir /app --no-create-home rescuebot \
    && mkdir -p /app/data && chown rescuebot:rescuebot /app/data
COPY deploy/healthcheck.py /app/healthcheck.py
WORKDIR /app
USER rescuebot
VOLUME ["/app/data"]
# 8080: the webhook (`run --webhook`, behind the reverse proxy); 9100: /healthz and /metrics.
EXPOSE 8080 9100
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "/app/healthcheck.py"]
# SIGINT, not SIGTERM: Python turns it into a clean stop (updates under way commit, the
# scheduler stops); a kill at any moment would lose nothing committed either.
STOPSIGNAL SIGINT
CMD ["python", "-m", "bot", "run"]
