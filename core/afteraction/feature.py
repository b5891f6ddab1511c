"""After-action reports (事后评估报告, seed §3c-3) and lessons (问题与改进) as a feature.

Its one command is /report <incident>: the information reports' /report with an incident's
number and nothing after it (a township is never all digits: the registry refuses one), so the
command itself is listed by core/reports; the bot routes the digits form here."""

from __future__ import annotations

from core.feature import Feature

AFTERACTION = Feature(name="afteraction", catalog="afteraction", commands=())
