"""The one function that picks a registry file's reader by its name's extension."""

from __future__ import annotations

import pytest

from bot.registry_read import MAX_BYTES, RegistryReadError, read_named, reader_for


def test_yaml_and_yml_are_read_whatever_the_case() -> None:
    for name in ("county.yaml", "county.YML", "县.Yaml"):
        assert reader_for(name) is not None
        assert read_named(name, "county: 青川县\n".encode()).data == {"county": "青川县"}


@pytest.mark.parametrize("name", ["county.csv", "county", "county.yaml.txt", ".yaml.exe"])
def test_another_extension_is_refused_naming_the_known_ones(name: str) -> None:
    with pytest.raises(RegistryReadError) as e:
        read_named(name, b"county: x\n")
    assert e.value.code == "registry.read.unknown_type"
    assert e.value.params["known"] == ".yaml .yml .xlsx"


def test_too_big_is_refused_before_reading() -> None:
    with pytest.raises(RegistryReadError) as e:
        read_named("county.yaml", b"#" * (MAX_BYTES + 1))
    assert e.value.code == "registry.read.too_big"
