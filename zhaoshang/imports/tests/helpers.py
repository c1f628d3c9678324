"""Building ledger files the way staff keep them, for the tests."""

import csv
import datetime

import xlsxwriter

TITLE = "2026年临江区重点招商项目台账"
HEADER_TOP = ["序号", "项目名称", "项目编号", "责任单位", "投资额（万元）", "", "项目阶段",
              "签约日期", "开工日期", "资金来源", "用地面积（亩）"]  # fmt: skip
HEADER_BOTTOM = ["", "", "", "", "总投资", "固定资产投资", "", "", "", "", ""]


def project_rows():
    """Rows as staff type them: mixed units, Chinese dates, stage words."""
    return [
        [1, "东湖新能源电池项目", "DH-001", "东湖街道", "3.5亿", "20000", "已签约",
         "2026.3.8", "", "省外", "120"],
        [2, "东湖生物医药产业园", "DH-002", "东湖街道", "约2亿", 15000, "在谈",
         "", "", "境外", "85.5"],
        [3, "东湖智能制造基地", "DH-003", "东湖社区", "三千万元", "", "已开工",
         "2026年1月5日", "2026年3月1日", "区外", ""],
    ]  # fmt: skip


def write_xlsx(path, rows, header_top=HEADER_TOP, header_bottom=HEADER_BOTTOM, title=TITLE,
               reporting="填报单位：东湖街道    填报日期：2026年4月1日"):  # fmt: skip
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("东湖街道")
    width = len(header_top)
    r = 0
    if title:
        sheet.merge_range(r, 0, r, width - 1, title)
        r += 1
    if reporting:
        sheet.merge_range(r, 0, r, width - 1, reporting)
        r += 1
    sheet.write_row(r, 0, header_top)
    if header_bottom:
        sheet.write_row(r + 1, 0, header_bottom)
        r += 1
    r += 1
    for row in rows:
        for c, value in enumerate(row):
            if isinstance(value, datetime.date):
                sheet.write_datetime(r, c, datetime.datetime.combine(value, datetime.time()),
                                     workbook.add_format({"num_format": "yyyy-mm-dd"}))  # fmt: skip
            elif value != "":
                sheet.write(r, c, value)
        r += 1
    sheet.write(r, 0, "注：投资额单位为万元")
    workbook.close()
    return path


def write_csv(path, header, rows, encoding="gbk"):
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path
