"""Gettext catalogs: locales/<locale>/LC_MESSAGES/<feature>.po, zh_Hans (default) and en.

Message ids are keys (``status.title``); each feature keeps its own .po file so features can be
worked on side by side. The catalogs are read from the .po files at start, so a plain install
needs no compile step.

A text that counts things in English ("1 error", "2 errors") has plural forms in both
languages: ``msgid_plural`` names the parameter that counts (``msgid_plural "count"``), English
gives ``msgstr[0]`` and ``msgstr[1]``, Chinese its one ``msgstr[0]``.
"""

from pathlib import Path

CATALOG_DIR = Path(__file__).parent
