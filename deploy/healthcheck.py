"""The container's HEALTHCHECK: GET /healthz on this machine; exit 0 if it answers 200.

Standard library only (it runs in the runtime image). The port: RESCUEBOT_METRICS__PORT when
set (polling with metrics), else RESCUEBOT_WEBHOOK__PORT (default 8080) when
RESCUEBOT_WEBHOOK__URL is set (`run --webhook` serves /healthz beside the webhook). A 503
names the failing part; it is printed, so `docker inspect` shows it.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request

TIMEOUT_SECONDS = 4.0


def ports() -> list[int]:
    found = []
    if os.environ.get("RESCUEBOT_METRICS__PORT"):
        found.append(int(os.environ["RESCUEBOT_METRICS__PORT"]))
    if os.environ.get("RESCUEBOT_WEBHOOK__URL"):
        found.append(int(os.environ.get("RESCUEBOT_WEBHOOK__PORT") or 8080))
    return found


def check(port: int) -> tuple[bool, str]:
    url = f"http://127.0.0.1:{port}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as answer:
            return answer.status == 200, f"{url}: {answer.status} {answer.read(300).decode()}"
    except urllib.error.HTTPError as e:
        return False, f"{url}: {e.code} {e.read(300).decode(errors='replace')}"
    except OSError as e:
        return False, f"{url}: {e}"


def main() -> int:
    candidates = ports()
    if not candidates:
        print("no health endpoint: set RESCUEBOT_METRICS__PORT (or run --webhook with "
              "RESCUEBOT_WEBHOOK__URL)")
        return 1
    said = []
    for port in candidates:
        ok, line = check(port)
        if ok:
            print(line.strip())
            return 0
        said.append(line.strip())
    print("; ".join(said))
    return 1


if __name__ == "__main__":
    sys.exit(main())
