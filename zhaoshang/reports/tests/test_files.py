"""The .docx and .xlsx of a report, read back, carry the dashboard's figures; the notice's
Word file is an A4 government notice with its Chinese fonts named for East-Asian text."""

import io
from decimal import Decimal

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from zhaoshang.core.periods import Period
from zhaoshang.reports import archive
from zhaoshang.reports.narrative import Narrative
from zhaoshang.reports.notice import MonthlyNotice
from zhaoshang.reports.tests.dataset import build
from zhaoshang.targets import engine


def _docx(run):
    with run.docx.open("rb") as f:
        return Document(io.BytesIO(f.read()))


def _xlsx(run):
    with run.xlsx.open("rb") as f:
        return load_workbook(io.BytesIO(f.read()))


def test_word_and_excel_carry_the_engine_figures(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ind = build(world)
    run = archive.generate(Narrative, {"unit": world.district.pk, "period": "2026H1"}, world.bureau)
    period = Period.parse("2026H1")
    signed = engine.figure(ind["signed_amount"], world.district, period)
    fdi = engine.figure(ind["utilized_fdi"], world.district, period)
    assert (signed.actual, signed.completion) == (Decimal("15.95"), Decimal("159.50"))

    text = "\n".join(p.text for p in _docx(run).paragraphs)
    assert "新签约项目3个，总投资15.95亿元，同比下降20.25%，完成全年目标任务的159.5%" in text
    assert "实际利用外资5120万美元，同比增长23.5%，完成全年目标任务的64%。" in text
    table = _docx(run).tables[-1]
    cells = {row.cells[0].text: [c.text for c in row.cells] for row in table.rows}
    assert cells["签约项目总投资"][2:5] == ["15.95", "10", "159.5%"]
    assert cells["实际利用外资"][2:6] == ["5120", "8000", "64%", "23.5%"]

    sheet = _xlsx(run)["报表"]
    rows = {r[0]: r for r in sheet.iter_rows(values_only=True) if r and r[0]}
    assert rows["签约项目总投资"][2] == float(signed.actual)
    assert rows["签约项目总投资"][3] == float(signed.target)
    assert rows["签约项目总投资"][4] == pytest.approx(float(signed.completion) / 100)  # 159.50%
    assert rows["实际利用外资"][2] == float(fdi.actual)
    assert rows["实际利用外资"][5] == pytest.approx(float(fdi.growth) / 100)
    assert rows["合同利用外资"][2] == 0


def _peer_group(world, ind):
    from zhaoshang.organization.models import PeerGroup
    from zhaoshang.targets.models import Target

    group = PeerGroup.objects.create(name="街道组", owner_unit=world.district)
    for unit, target in ((world.street_a, 10), (world.street_b, 1)):
        unit.peer_group = group
        unit.save()
        Target.objects.create(
            indicator=ind["signed_amount"], unit=unit, year=2026, annual=Decimal(target)
        )
    return group


def test_the_notice_is_an_a4_government_document_with_chinese_fonts(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    group = _peer_group(world, build(world))
    params = {"peer_group": group.pk, "month": "2026M06", "doc_number": "临投促〔2026〕6号"}
    run = archive.generate(MonthlyNotice, params, world.bureau)
    doc = _docx(run)
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    texts = [p.text for p in doc.paragraphs if p.text]
    assert texts[0] == "临投促〔2026〕6号"
    assert texts[1] == "关于2026年6月招商引资工作情况的通报"
    assert "一、综合排名" in texts and "四、项目推进情况" in texts
    assert texts[-2:] == ["临江区投资促进局", run.document["date"]]
    title_run = doc.paragraphs[1].runs[0]
    assert title_run._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    body = next(p for p in doc.paragraphs if p.text.startswith("现将"))
    assert body.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert 'w:instr="PAGE"' in section.footer._element.xml
    sheet = _xlsx(run)["报表"]
    assert [sheet["A1"].value, sheet["A2"].value] == ["临投促〔2026〕6号", texts[1]]
    ranking_rows = [
        r for r in sheet.iter_rows(values_only=True) if r[1] in ("东湖街道", "西山街道")
    ]
    # 西山: 3亿 of 1亿 → 300% → 3 points; 东湖: 12.95亿 of 10亿 → 129.5% → 1.3 points.
    assert [r[:3] for r in ranking_rows[:2]] == [(1, "西山街道", 3), (2, "东湖街道", 1.3)]
    ranking = doc.tables[0]
    assert [r.cells[1].text for r in ranking.rows[1:]] == ["西山街道", "东湖街道"]
    # Columns sized by their text on the 156 mm text width: the rank narrow, units wider.
    widths = [c.width.mm for c in ranking.columns]
    assert widths[0] < widths[1] and round(sum(widths)) == 156


def _png():
    """A 1×1 PNG, as a tile server sends."""
    import struct
    import zlib

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def test_the_catalogue_has_a_map_only_where_tiles_answer(world, settings, tmp_path):
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    from zhaoshang.carriers.models import LandParcel
    from zhaoshang.reports.catalogue import Catalogue

    settings.MEDIA_ROOT = tmp_path
    LandParcel.objects.create(
        unit=world.street_a,
        code="DH-09",
        name="东湖地块",
        land_use="industrial",
        area_mu=Decimal("30"),
        status="listed",
        longitude=Decimal("118.78"),
        latitude=Decimal("32.04"),
    )
    params = {"unit": world.district.pk}
    settings.TILE_URL = ""
    assert len(_docx(archive.generate(Catalogue, params, world.bureau)).inline_shapes) == 0
    settings.TILE_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"  # nothing listens there
    assert len(_docx(archive.generate(Catalogue, params, world.bureau)).inline_shapes) == 0

    class Tiles(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(_png())

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Tiles)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings.TILE_URL = f"http://127.0.0.1:{server.server_port}/{{z}}/{{x}}/{{y}}.png"
        run = archive.generate(Catalogue, params, world.bureau)
    finally:
        server.shutdown()
    assert len(_docx(run).inline_shapes) == 1
    assert "东湖地块" in [c.text for c in _docx(run).tables[0].rows[1].cells]


def test_the_files_show_the_dashboard_figures_for_the_same_unit_and_period(
    world, settings, tmp_path, login
):
    settings.MEDIA_ROOT = tmp_path
    build(world)
    client = login(world.bureau)
    page = client.get("/targets/", {"unit": world.district.pk, "period": "2026H1"})
    cards = {fig.indicator.name: fig for fig, _url in page.context["cards"]}
    assert cards["签约项目总投资"].actual == Decimal("15.95")
    run = archive.generate(Narrative, {"unit": world.district.pk, "period": "2026H1"}, world.bureau)
    sheet = _xlsx(run)["报表"]
    rows = {r[0]: r for r in sheet.iter_rows(values_only=True) if r and r[0]}
    word = {row.cells[0].text: [c.text for c in row.cells] for row in _docx(run).tables[-1].rows}
    for name, figure in cards.items():
        assert Decimal(str(rows[name][2])) == figure.actual, name
        assert Decimal(word[name][2]) == figure.actual, name
        if figure.completion is not None:
            assert rows[name][4] == pytest.approx(float(figure.completion) / 100), name
