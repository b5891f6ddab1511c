"""Registry files as people save them: encodings, hostile shapes, and the problem list."""

from __future__ import annotations

import string
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.i18n import Translator
from bot.registry_read import MAX_BYTES, MAX_VALUES, RegistryReadError, read_registry
from bot.registry_texts import problems_text
from core.registry_file import MAX_LEN, MAX_PROBLEMS, RegistryFileError, parse_registry
from tests.conftest import COUNTY

TEXT = COUNTY.read_text(encoding="utf-8")


def saved(tmp_path: Path, data: bytes, name: str = "r.yaml") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def refused(tmp_path: Path, data: bytes | str) -> RegistryReadError:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with pytest.raises(RegistryReadError) as e:
        read_registry(saved(tmp_path, raw))
    return e.value


def problems(raw: Any, locale: str = "zh_Hans") -> str:
    with pytest.raises(RegistryFileError) as e:
        parse_registry(raw)
    t = Translator(locale, __import__("zoneinfo").ZoneInfo("Asia/Shanghai")).for_locale(locale)
    return problems_text(t, "r.yaml", e.value)


@pytest.mark.parametrize(
    ("encoding", "crlf", "expected"),
    [
        ("gbk", True, "GBK/GB18030"),  # WPS and Notepad on a Chinese Windows
        ("gb18030", False, "GBK/GB18030"),
        ("utf-16", True, "UTF-16"),  # Notepad's "Unicode": little-endian with a BOM
        ("utf-16-be", False, "UTF-16"),  # no BOM
        ("utf-8-sig", True, "UTF-8"),  # Notepad's "UTF-8 with BOM"
    ],
)
def test_files_saved_by_windows_and_wps_are_read(tmp_path: Path, encoding: str, crlf: bool,
                                                 expected: str) -> None:
    text = TEXT.replace("\n", "\r\n") if crlf else TEXT
    raw = read_registry(saved(tmp_path, text.encode(encoding)))
    assert raw.encoding == expected
    assert parse_registry(raw.data) == parse_registry(yaml.safe_load(TEXT))


def test_undecodable_file_is_refused_naming_the_encodings(tmp_path: Path) -> None:
    error = refused(tmp_path, b"county: x\nunits:\n  - name: \xff\xfe\xff\x80\x80\n")
    assert error.code == "registry.read.encoding" and error.params["line"] == 3


def test_alias_bomb_is_refused_before_it_expands(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip(string.ascii_lowercase[:8], string.ascii_lowercase[1:9], strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    bomb = "\n".join(lines) + "\n"
    assert len(bomb) < 700
    assert refused(tmp_path, bomb).code == "registry.read.aliases"


def test_a_few_small_aliases_are_fine(tmp_path: Path) -> None:
    data = TEXT.replace("county: 青川县", "county: 青川县\nx-kit: &kit [抢险, 救援]", 1)
    data = data.replace("x-kit: &kit [抢险, 救援]", "", 1)  # anchors elsewhere are plain YAML
    assert read_registry(saved(tmp_path, data.encode())).data["county"] == "青川县"


def test_deep_nesting_is_refused_not_a_recursion_error(tmp_path: Path) -> None:
    error = refused(tmp_path, "county: " + "[" * 20_000 + "]" * 20_000 + "\n")
    assert error.code == "registry.read.too_deep"


def test_a_file_over_the_cap_is_refused_unread(tmp_path: Path) -> None:
    error = refused(tmp_path, b"#" * (MAX_BYTES + 1))
    assert error.code == "registry.read.too_big"


def test_a_file_of_too_many_values_is_refused_before_it_is_built(tmp_path: Path) -> None:
    error = refused(tmp_path, "county: x\nunits: [" + "1," * MAX_VALUES + "1]\n")
    assert error.code == "registry.read.too_many_values" and error.params["line"] == 2


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        ("county: x\nunits:\n\t- code: a\n", "registry.read.tab", 3),
        ("county: x\nunits:\n\u3000\u3000- code: a\n", "registry.read.fullwidth_space", 3),
        ("county: x\nunits:\n  - code：bureau\n    kind: bureau\n",
         "registry.read.fullwidth_colon", 4),
        ("county: x\nunits: [\n", "registry.not_yaml", 3),
        ("", "registry.read.empty", None),
        ("county: x\nunits:\n  - code: a\n    name: 青\x07\n", "registry.read.control_char", 4),
    ],
)
def test_typing_slips_are_named_with_their_line(tmp_path: Path, text: str, code: str,
                                                line: int | None) -> None:
    error = refused(tmp_path, text)
    assert error.code == code
    assert error.params.get("line") == line


def test_impossible_dates_and_huge_numbers_are_problems_not_crashes(tmp_path: Path) -> None:
    data = TEXT.replace("updated: 2026-10-15", "updated: 2026-02-30", 1)
    data = data.replace("tg_id: 300101", "tg_id: " + "9" * 5000, 1)
    raw = read_registry(saved(tmp_path, data.encode()))
    text = problems(raw.data)
    assert "“2026-02-30”不是日期" in text and "不是有效的 Telegram 用户 ID" in text


def test_problems_count_units_and_people_from_one_with_the_line(tmp_path: Path) -> None:
    data = TEXT.replace("roles: [head, approver]", "roles: [head, boss]", 1)
    raw = read_registry(saved(tmp_path, data.encode()))
    line = next(i for i, s in enumerate(data.splitlines(), 1) if "boss" in s)
    text = problems(raw.data)
    assert f"第 {line} 行，第 1 个单位（bureau），第 1 名人员，字段 roles：“boss”无效" in text
    assert "units[0]" not in text


def test_a_field_written_twice_is_a_problem_not_the_last_one(tmp_path: Path) -> None:
    data = TEXT.replace("    kind: brigade\n", "    kind: brigade\n    kind: bureau\n", 1)
    line = data.splitlines().index("    kind: bureau", 60) + 1
    text = problems(read_registry(saved(tmp_path, data.encode())).data)
    assert f"第 {line} 行，第 2 个单位（brigade），字段 kind：在同一条目中重复出现" in text


def test_empty_unit_list_is_not_reported_missing() -> None:
    text = problems({"county": "x", "units": []})
    assert "一个单位也没有" in text and "缺少此项" not in text


def test_a_duplicate_code_is_reported_once_and_alone() -> None:
    data = yaml.safe_load(TEXT)
    brigade = next(u for u in data["units"] if u["kind"] == "brigade")
    force = next(u for u in data["units"] if u["kind"] == "force")
    force["code"] = brigade["code"]
    with pytest.raises(RegistryFileError) as e:
        parse_registry(data)
    assert [p.code for p in e.value.problems] == ["duplicate_code_of"]


def test_a_duplicate_code_is_reported_alongside_other_problems() -> None:
    data = yaml.safe_load(TEXT)
    data["units"][0]["people"][0]["roles"] = ["boss"]
    data["units"][-1]["code"] = data["units"][-2]["code"]
    with pytest.raises(RegistryFileError) as e:
        parse_registry(data)
    assert [p.code for p in e.value.problems] == ["not_one_of", "duplicate_code_of"]


def test_junk_lists_fifty_problems_and_counts_the_rest(tmp_path: Path) -> None:
    junk = "county: x\nunits:\n" + "".join(f"  - {{code: {i}, colour: red}}\n"
                                            for i in range(20_000))
    raw = read_registry(saved(tmp_path, junk.encode()))
    text = problems(raw.data, "en")
    lines = text.splitlines()
    assert len(lines) == 1 + MAX_PROBLEMS + 1
    total = 4 * 20_000  # a bad code, an unknown field, no kind, no name
    assert lines[0].startswith(f"r.yaml has {total} errors")
    assert lines[-1] == f"…and {total - MAX_PROBLEMS} more errors not listed (only the first "\
                        f"{MAX_PROBLEMS} are)."


def unit_with(**fields: Any) -> dict[str, Any]:
    data = yaml.safe_load(TEXT)
    force = next(u for u in data["units"] if u["code"] == "f-gas")
    force.update(fields)
    return dict(data)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"name": "队" * (MAX_LEN["unit.name"] + 1)}, "长 65 个字，超过上限 64 个字"),
        ({"people": [{"tg_id": 1, "name": "李" * 33, "roles": ["head"]}]}, "超过上限 32 个字"),
        ({"capabilities": ["抢" * 33]}, "capabilities 第 1 项：长 33 个字"),
        ({"equipment": [{"name": "车", "count": 1, "unit": "辆" * 9}]},
         "equipment 第 1 项，字段 unit：长 9 个字，超过上限 8 个字"),
        ({"name": "燃气\u0007抢修队"}, "控制字符或不可见字符 U+0007"),
        ({"name": "燃气\u202e抢修队"}, "U+202E"),
        ({"people": [{"tg_id": 1, "name": "李\u200b强", "roles": ["head"]}]}, "U+200B"),
    ],
)
def test_names_have_limits_and_no_control_characters(fields: dict[str, Any],
                                                     expected: str) -> None:
    assert expected in problems(unit_with(**fields))


def test_markup_in_names_is_kept_as_text() -> None:
    name = "<b>燃气</b><a href='http://x'>抢修</a>"
    parsed = parse_registry(unit_with(name=name))
    assert any(u.name == name for u in parsed.units)


def test_full_width_codes_roles_and_quoted_ids_are_understood() -> None:
    parsed = parse_registry(unit_with(
        code="ｆ-ｇａｓ", kind="ｆｏｒｃｅ", name="燃气抢修队　",
        people=[{"tg_id": "３９９９９９", "name": "李强", "phone": "１３９０００００００１",
                 "roles": ["ｈｅａｄ"]}]))
    unit = next(u for u in parsed.units if u.code == "f-gas")
    assert unit.name == "燃气抢修队"
    assert unit.people[0].tg_id == 399999 and unit.people[0].phone == "13900000001"
