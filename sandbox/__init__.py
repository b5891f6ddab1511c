"""A local Telegram Bot API server for tests, demos and benchmarks.

Only stdlib and aiohttp are used, so the real, unmodified bot can talk to it over HTTP.
"""

from .client import SandboxClient
from .server import Sandbox
from .state import ANONYMOUS_ADMIN_ID

__all__ = ["ANONYMOUS_ADMIN_ID", "Sandbox", "SandboxClient"]
