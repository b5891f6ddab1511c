"""The ranked list /find answers with: one line per force."""

from __future__ import annotations

from bot.i18n import Html, Texts
from core.find.search import Hit
from core.find.usecases import Found


def hit_line(t: Texts, n: int, hit: Hit) -> str:
    count = t("find.count", count=hit.count) if hit.count else ""
    age = (t("find.age", days=hit.age_days) if hit.age_days is not None
           else t("find.age_unknown"))
    marks = "".join((t("find.bound") if hit.unit.is_bound else "",
                     t("find.answered") if hit.answered else "",
                     t("find.on_order") if hit.on_order else ""))
    return t("find.line", n=n, name=hit.unit.name, township=hit.unit.township or "—",
             matched=hit.matched, count=Html(count), age=Html(age), marks=Html(marks))


def found_text(t: Texts, found: Found) -> str:
    if not found.hits:
        return t("find.none", word=found.word)
    lines = "\n".join(hit_line(t, n, h) for n, h in enumerate(found.hits, 1))
    return t("find.head", word=found.word, count=len(found.hits), lines=Html(lines))
