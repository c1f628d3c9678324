"""Files that must be refused, before anything is parsed and without exhausting memory:
a renamed program, a zip bomb, a workbook with macros, an XML bomb, too large or too long
files."""

import tracemalloc
import zipfile

import pytest
import xlsxwriter

from zhaoshang.imports.reading import ImportFileError, detect_format, read_sheets


def refused(path):
    tracemalloc.start()
    try:
        with pytest.raises(ImportFileError) as info:
            read_sheets(path)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 30 * 1024 * 1024, f"refusing used {peak / 1e6:.0f} MB"
    return str(info.value)


def small_xlsx(path):
    workbook = xlsxwriter.Workbook(str(path))
    workbook.add_worksheet().write_row(0, 0, ["项目名称", "总投资"])
    workbook.close()
    return path


def test_a_renamed_program_is_refused(tmp_path):
    path = tmp_path / "项目台账.xlsx"
    path.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 4000 + b"This program cannot be run")
    assert "可执行程序" in refused(path)


def test_a_zip_bomb_is_refused_from_its_declared_sizes(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            block = b"\x00" * (1 << 20)
            for _ in range(64):  # 64 MB of zeros: a few hundred KB packed
                member.write(block)
    assert path.stat().st_size < 1_000_000
    assert "压缩炸弹" in refused(path)


def test_a_workbook_with_macros_is_refused_even_renamed(tmp_path):
    vba = tmp_path / "vbaProject.bin"
    vba.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    path = tmp_path / "macros.xlsm"
    workbook = xlsxwriter.Workbook(str(path))
    workbook.add_worksheet().write(0, 0, "项目名称")
    workbook.add_vba_project(str(vba))
    workbook.close()
    assert "宏" in refused(path)
    renamed = tmp_path / "plain.xlsx"
    renamed.write_bytes(path.read_bytes())
    assert "宏" in refused(renamed)


def test_an_xls_with_a_vba_project_is_refused(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1000
                     + "_VBA_PROJECT_CUR".encode("utf-16-le"))  # fmt: skip
    assert "宏" in refused(path)


def test_an_xml_bomb_is_refused(tmp_path):
    source = small_xlsx(tmp_path / "ok.xlsx")
    path = tmp_path / "xmlbomb.xlsx"
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b"<worksheet>&lol2;</worksheet>"
    )
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(path, "w") as out:
        for info in src.infolist():
            data = src.read(info)
            out.writestr(info, bomb if info.filename.endswith("sheet1.xml") else data)
    assert "XML" in refused(path)


def test_other_files_are_refused_with_their_kind(tmp_path):
    pdf = tmp_path / "a.xlsx"
    pdf.write_bytes(b"%PDF-1.7\n" + b"\x00" * 100)
    assert "PDF" in refused(pdf)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert "空" in refused(empty)


def test_size_and_row_limits(tmp_path, settings):
    path = small_xlsx(tmp_path / "ok.xlsx")
    settings.IMPORT_MAX_BYTES = 1000
    assert "MB" in refused(path)
    settings.IMPORT_MAX_BYTES = 20 * 1024 * 1024
    settings.IMPORT_MAX_ROWS = 10
    long = tmp_path / "long.csv"
    long.write_text("项目名称,总投资\n" + "".join(f"项目{i},{i}\n" for i in range(100)))
    assert "10 行" in refused(long)


def test_formats_are_recognised_by_content_not_extension(tmp_path):
    path = small_xlsx(tmp_path / "ok.xlsx")
    renamed = tmp_path / "ledger.csv"
    renamed.write_bytes(path.read_bytes())
    assert detect_format(renamed) == "xlsx"
    text = tmp_path / "ledger.xls"
    text.write_bytes("项目名称,总投资\n东湖项目,3.5亿\n".encode("gbk"))
    assert detect_format(text) == "csv"
    assert read_sheets(text)[0].rows[1] == ["东湖项目", "3.5亿"]
