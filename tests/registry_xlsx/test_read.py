"""The registry workbook read as counties fill it in: each oddity still gives the example
county's registry exactly; a mistake names the sheet, the row and the column."""

from __future__ import annotations

from typing import Any

import pytest
from openpyxl import Workbook

from bot.registry_read import RegistryReadError, read_named
from bot.registry_xlsx import MAX_ROWS
from tests.registry_xlsx.books import (
    changed,
    county,
    county_xlsx,
    parsed,
    problems,
    row_of,
    with_cached_values,
)


def test_the_written_workbook_reads_back_to_the_same_registry() -> None:
    assert parsed(county_xlsx()) == county()


def test_a_title_row_and_a_two_row_merged_header() -> None:
    def change(book: Workbook) -> None:
        ws = book["人员"]
        ws.insert_rows(1, 2)
        ws["A1"] = "青川县应急救援力量人员名册"
        ws.merge_cells("A1:G1")
        ws["A2"] = "单位代码"
        ws.merge_cells("A2:A3")  # the header row's A3 is now empty, as Excel saves it
        ws["D2"] = "联系方式"
        ws.merge_cells("D2:E2")
    assert parsed(changed(change)) == county()


def test_numbers_stored_as_text_and_phones_stored_as_numbers() -> None:
    def change(book: Workbook) -> None:
        for row in book["人员"].iter_rows(min_row=2):
            row[1].value = str(row[1].value)  # Telegram ID as text
            if row[3].value:
                row[3].value = float(str(row[3].value))  # 1.38e10, as Excel keeps a phone number
        for row in book["装备"].iter_rows(min_row=2):
            row[2].value = f"{row[2].value}"
    assert parsed(changed(change)) == county()


def test_spaces_and_full_width_digits_around_and_in_values() -> None:
    wide = str.maketrans("0123456789", "０１２３４５６７８９")

    def change(book: Workbook) -> None:
        for row in book["人员"].iter_rows(min_row=2):
            row[0].value = f"{row[0].value}  "
            row[1].value = str(row[1].value).translate(wide)
            row[2].value = f"\u3000{row[2].value} \u00a0"
            if row[3].value:
                phone = str(row[3].value)
                row[3].value = f"{phone[:3]}\u3000{phone[3:7]} {phone[7:]}".translate(wide)
        for row in book["物资"].iter_rows(min_row=2):
            row[2].value = f" {row[2].value}".translate(wide)
        for row in book["单位"].iter_rows(min_row=2):
            row[2].value = f"{row[2].value}   "
    assert parsed(changed(change)) == county()


def test_empty_rows_between_blocks_and_a_unit_code_merged_over_its_rows() -> None:
    def change(book: Workbook) -> None:
        ws = book["人员"]
        first = row_of(ws, 1, "f-police")
        last = max(r for r in range(first, ws.max_row + 1) if ws.cell(r, 1).value == "f-police")
        ws.merge_cells(f"A{first}:A{last}")  # the unit's code once, over its people
        ws.insert_rows(first)  # an empty row before the block ...
        ws.insert_rows(last + 2, 3)  # ... and after it
        units = book["单位"]
        units.insert_rows(5, 2)
    assert parsed(changed(change)) == county()


def test_a_formula_with_its_cached_value() -> None:
    ws_row: dict[str, Any] = {}

    def change(book: Workbook) -> None:
        ws = book["物资"]
        row = 2
        ws_row["count"] = ws.cell(row, 3).value
        ws.cell(row, 3).value = f"={ws_row['count']}*1"
    data = with_cached_values(changed(change), {"C2": str(ws_row["count"])})
    assert parsed(data) == county()


def test_english_headers_and_sheet_names() -> None:
    def change(book: Workbook) -> None:
        names = {"单位": "units", "人员": "people", "装备": "equipment", "物资": "materials",
                 "能力": "capabilities", "说明": "notes"}
        english = {"单位代码": "code", "类型": "kind", "单位名称": "name", "类别": "category",
                   "行业": "sector", "乡镇": "township", "主管部门": "department",
                   "更新日期": "updated", "姓名": "name", "Telegram ID": "tg_id",
                   "手机": "phone", "角色": "roles", "保险到期": "insurance_until",
                   "体检到期": "health_check_until", "名称": "name", "数量": "count",
                   "计量单位": "unit"}
        for ws in book.worksheets:
            for cell in ws[1]:
                cell.value = english.get(str(cell.value), cell.value)
            ws.title = names[ws.title]
        book["notes"]["A1"] = "County"
    assert parsed(changed(change)) == county()


def test_a_bad_role_names_sheet_row_and_column() -> None:
    at: dict[str, int] = {}

    def change(book: Workbook) -> None:
        ws = book["人员"]
        at["row"] = row_of(ws, 2, 300101)
        ws.cell(at["row"], 5).value = "队长"
    shown = problems(changed(change))
    assert f"人员!E{at['row']}（角色）：“队长”无效，可选：approver" in shown, shown
    assert "未做任何更改" in shown


def test_an_unknown_column_an_unknown_unit_and_a_missing_name_are_named() -> None:
    def change(book: Workbook) -> None:
        book["人员"]["H1"] = "微信号"
        book["人员"]["H2"] = "wx123"
        book["人员"]["I1"] = "序号"  # a county's own numbering is read past
        book["装备"]["A3"] = "f-nowhere"
        book["单位"]["C4"] = "   "
    shown = problems(changed(change))
    assert "人员!H1（微信号）：未知的列“微信号”" in shown, shown
    assert "装备!A3（单位代码）：没有代码为 f-nowhere 的单位" in shown, shown
    assert "单位!C4（单位名称）：缺少此项" in shown, shown
    assert "序号" not in shown.split("可用的列")[0]
    english = problems(changed(change), "en")
    assert "people!H1" not in english and "人员!H1 (微信号): unknown column" in english, english


def test_a_missing_county_and_a_missing_column() -> None:
    def change(book: Workbook) -> None:
        del book["说明"]
        book["能力"]["B1"] = None
    shown = problems(changed(change))
    assert "说明!B1（县名）：缺少此项" in shown, shown
    assert "能力!1:1：缺少“名称”列" in shown, shown


@pytest.mark.parametrize(("content", "key"), [
    (b"PK\x03\x04 not really a zip", "registry.xlsx.not_xlsx"),
    (b"county: x\n", "registry.xlsx.not_xlsx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600 + "EncryptionInfo".encode("utf-16-le")
     + b"\0" * 600, "registry.xlsx.encrypted"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000, "registry.xlsx.old_xls"),
])
def test_what_is_not_a_workbook_is_one_refusal(content: bytes, key: str) -> None:
    with pytest.raises(RegistryReadError) as refused:
        read_named("county.xlsx", content)
    assert refused.value.code == key


def too_many_rows(count: int) -> bytes:
    from io import BytesIO

    book = Workbook(write_only=True)
    ws = book.create_sheet("人员")
    ws.append(["单位代码", "Telegram ID", "姓名", "角色"])
    for i in range(count):
        ws.append(["f-x", i + 1])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_sheet_of_too_many_rows_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # The limit is 100,000 (bench.registry reads 8,000 rows in well under a second); the
    # same check at 2,000 keeps the suite quick.
    assert MAX_ROWS == 100_000
    monkeypatch.setattr("bot.registry_xlsx.MAX_ROWS", 2_000)
    with pytest.raises(RegistryReadError) as refused:
        read_named("county.xlsx", too_many_rows(2_000))
    assert refused.value.code == "registry.xlsx.too_many_rows"
    assert refused.value.params == {"sheet": "人员", "limit": 2_000}
