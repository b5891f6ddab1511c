"""Every catalog says the same things in both languages: the same keys, the same placeholders
in every form of a text, and the same counting parameter for a text with plural forms."""

from __future__ import annotations

import string
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ("zh_Hans", "en")
FEATURES = sorted(p.stem for p in (ROOT / "locales" / "zh_Hans" / "LC_MESSAGES").glob("*.po"))


def read(locale: str, feature: str) -> Catalog:
    with (ROOT / "locales" / locale / "LC_MESSAGES" / f"{feature}.po").open("rb") as f:
        return read_po(f, locale=locale)


def entries(catalog: Catalog) -> dict[str, Message]:
    return {key(m): m for m in catalog if m.id}


def key(message: Message) -> str:
    return str(message.id[0] if isinstance(message.id, tuple) else message.id)


def forms(message: Message) -> list[str]:
    text = message.string
    return [str(s) for s in text] if isinstance(text, (tuple, list)) else [str(text)]


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_both_languages_have_the_same_catalog_files() -> None:
    found = [sorted(p.stem for p in (ROOT / "locales" / loc / "LC_MESSAGES").glob("*.po"))
             for loc in LOCALES]
    assert found[0] == found[1] == FEATURES and len(FEATURES) >= 4


@pytest.mark.parametrize("feature", FEATURES)
def test_both_languages_have_the_same_keys(feature: str) -> None:
    zh, en = (entries(read(loc, feature)) for loc in LOCALES)
    assert sorted(set(zh) - set(en)) == [] and sorted(set(en) - set(zh)) == []


@pytest.mark.parametrize("feature", FEATURES)
def test_every_form_has_the_same_placeholders_in_both_languages(feature: str) -> None:
    zh, en = (entries(read(loc, feature)) for loc in LOCALES)
    for k, message in zh.items():
        texts = forms(message) + forms(en[k])
        assert all(texts) and not message.fuzzy and not en[k].fuzzy, k
        assert all(fields(t) == fields(texts[0]) for t in texts), k


@pytest.mark.parametrize("feature", FEATURES)
def test_plural_texts_count_the_same_parameter_with_each_languages_forms(feature: str) -> None:
    catalogs = {loc: read(loc, feature) for loc in LOCALES}
    zh, en = (entries(catalogs[loc]) for loc in LOCALES)
    for k, message in zh.items():
        assert message.pluralizable == en[k].pluralizable, k
        if not message.pluralizable:
            continue
        counted = str(message.id[1])
        assert str(en[k].id[1]) == counted and counted in fields(forms(message)[0]), k
        for loc, found in (("zh_Hans", message), ("en", en[k])):
            assert len(forms(found)) == catalogs[loc].num_plurals, (loc, k)
    assert catalogs["zh_Hans"].num_plurals == 1 and catalogs["en"].num_plurals == 2


@pytest.mark.parametrize("locale", LOCALES)
def test_no_key_is_in_two_catalogs(locale: str) -> None:
    seen = Counter(k for feature in FEATURES for k in entries(read(locale, feature)))
    assert [k for k, n in seen.items() if n > 1] == []
