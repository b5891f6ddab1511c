"""Gettext catalogs: locales/<locale>/LC_MESSAGES/<feature>.po, zh_Hans (default) and en.

Message ids are keys (``status.title``); each feature keeps its own .po file so features can be
worked on side by side. The catalogs are read from the .po files at start, so a plain install
needs no compile step.
"""

from pathlib import Path

CATALOG_DIR = Path(__file__).parent
