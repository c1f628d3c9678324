"""Finding the header of a ledger sheet and mapping its columns to fields.

Sheets start with a merged title row, a 「填报单位：… 填报日期：…」 line and notes; the header is
the row whose cells match the most synonyms of the record type. A header over two rows
(「投资额（万元）」 merged over 「总投资」「固定资产投资」) is combined column by column. A unit
written in a header (「总投资（亿元）」, 「面积/平方米」) is kept for the column's plain numbers.
"""

import datetime
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from zhaoshang.core.quantities import AREA_M2, AREA_MU, UNITS

HEADER_UNITS = "万亿元|亿元|万元|千元|元|亿美元|万美元|美元|公顷|亩|平方米|㎡|m²|m2"
UNIT_IN_HEADER = re.compile(
    rf"[(\[【]\s*(?:单位\s*[:：]\s*)?({HEADER_UNITS})\s*[)\]】]|[/／]\s*({HEADER_UNITS})$"
    rf"|单位\s*[:：]\s*({HEADER_UNITS})$"
)
UNIT_ALIASES = {"㎡": "平方米", "m²": "平方米", "m2": "平方米"}
NOISE = re.compile(r"[\s*＊※#]+")
REPORTING_UNIT = re.compile(r"填报单位\s*[:：]\s*([^\s:：，,、；;]+)")
SKIP_FIRST_WORDS = ("注", "备注：", "备注:", "说明：", "说明:", "合计", "总计", "小计", "填表人",
                    "制表", "审核", "负责人：", "联系电话：", "Note:")  # fmt: skip
SCAN_ROWS = 30
IGNORED_HEADERS = {"序号", "编号序号", "No", "No.", "#"}


def normalise_header(text):
    """Header text without spaces, line breaks or required marks; full-width to half-width."""
    text = unicodedata.normalize("NFKC", str(text))
    return NOISE.sub("", text)


def split_unit(header):
    """(label, unit or None) of a header: 「总投资（亿元）」 → ("总投资", "亿元")."""
    text = normalise_header(header)
    match = UNIT_IN_HEADER.search(text)
    if not match:
        return text, None
    unit = next(g for g in match.groups() if g)
    label = (text[: match.start()] + text[match.end() :]).strip()
    return label, UNIT_ALIASES.get(unit, unit)


def _dimension(unit):
    dim = UNITS.get(unit, (None,))[0]
    return AREA_MU if dim == AREA_M2 else dim


def match_column(record_type, label, unit=None):
    """The column of `record_type` a header label means, or None: an exact synonym wins
    over a contained one, a longer synonym over a shorter; a header's unit must fit."""
    if not label:
        return None
    best, best_score = None, 0
    for column in record_type.columns:
        if unit and column.kind == "quantity":
            if column.unit is None or _dimension(unit) != _dimension(column.unit):
                continue
        for rank, synonym in enumerate(column.synonyms):
            syn = normalise_header(synonym)
            if label == syn:
                score = 1000 - rank
            elif len(syn) >= 2 and syn in label:
                score = 10 * len(syn) - rank
            else:
                continue
            if score > best_score:
                best, best_score = column, score
    return best.name if best else None


NUMERIC_TEXT = re.compile(r"^[\d.,，]+$|^\d{4}[-./年]\d")


def _is_data_like(row):
    """A row holding numbers or dates (also as text, as a CSV file holds them)."""
    for cell in row:
        if isinstance(cell, bool):
            continue
        if isinstance(cell, int | float | datetime.date):
            return True
        if isinstance(cell, str) and NUMERIC_TEXT.match(cell.strip()):
            return True
    return False


def _texts(row):
    return ["" if cell is None else str(cell).strip() for cell in row]


def _score(record_type, row):
    seen = set()
    for cell in _texts(row):
        if cell:
            name = match_column(record_type, *split_unit(cell))
            if name:
                seen.add(name)
    return len(seen)


@dataclass
class Header:
    """Where the data starts and what each column's header says."""

    row_index: int  # 0-based index of the (lower) header row
    data_start: int
    labels: list  # full header text per column (upper and lower combined)
    reporting_unit: str = ""
    found: bool = True
    columns: list = field(default_factory=list)  # [{"index", "header", "unit", "field"}]

    @property
    def signature(self):
        return hashlib.sha256("\x1f".join(self.labels).encode()).hexdigest()


def detect_header(record_type, rows, merged=None):
    """Find the header among the first rows of a sheet and map its columns."""
    scan = rows[:SCAN_ROWS]
    scores = [_score(record_type, row) for row in scan]
    if not scores or max(scores) == 0:
        return Header(0, 1, _texts(rows[0]) if rows else [], found=False)
    best = scores.index(max(scores))
    upper = lower = best

    def header_like(i):
        if not (0 <= i < len(scan)) or scores[i] < 1 or _is_data_like(scan[i]):
            return False
        filled = sum(1 for c in _texts(scan[i]) if c)
        # Most cells of a header row name a field; most cells of a data row do not.
        return filled >= 2 and scores[i] * 2 >= filled

    if header_like(best + 1):
        lower = best + 1
    elif header_like(best - 1):
        upper = best - 1
    width = max(len(rows[i]) for i in range(upper, lower + 1))
    top = _texts(rows[upper]) + [""] * width
    bottom = _texts(rows[lower]) + [""] * width
    if upper != lower:
        # A cell merged across columns holds its text in the first column only.
        filled = list(top[:width])
        for c in range(1, width):
            if not filled[c] and bottom[c] and filled[c - 1] and bottom[c - 1]:
                filled[c] = filled[c - 1]
        labels = []
        for c in range(width):
            labels.append(_combine(record_type, filled[c], bottom[c]))
    else:
        labels = top[:width]
    reporting = ""
    for row in rows[:upper]:
        for cell in _texts(row):
            found = REPORTING_UNIT.search(cell)
            if found:
                reporting = found.group(1)
    header = Header(lower, lower + 1, labels, reporting_unit=reporting)
    header.columns = auto_mapping(record_type, labels)
    return header


def _combine(record_type, upper, lower):
    """The header of one column of a two-row header."""
    if not lower:
        return upper
    if not upper or upper == lower:
        return lower
    label, unit = split_unit(lower)
    if match_column(record_type, label, unit or split_unit(upper)[1]):
        up_label, up_unit = split_unit(upper)
        if up_unit and not unit:
            return f"{lower}（{up_unit}）"
        return lower
    return upper + lower


def auto_mapping(record_type, labels):
    """[{"index", "header", "unit", "field"}] with each column's best field (or "")."""
    columns, used = [], set()
    for index, text in enumerate(labels):
        if not text:
            continue
        label, unit = split_unit(text)
        name = None if label in IGNORED_HEADERS else match_column(record_type, label, unit)
        if name in used:
            name = None  # the first column that means a field gets it
        if name:
            used.add(name)
        columns.append({"index": index, "header": text, "unit": unit or "", "field": name or ""})
    return columns


def is_skipped(row):
    """A row that is not data: empty, a note, a total, a signature line."""
    first = None
    filled = 0
    for cell in row:
        if cell == "" or cell is None:
            continue
        filled += 1
        if first is None:
            first = str(cell).strip()
    if filled == 0:
        return True
    return first is not None and first.replace(" ", "").startswith(SKIP_FIRST_WORDS)
