"""Reading a planner's spreadsheet: an ``.xlsx`` workbook (its first sheet, or one named) or a ``.csv``
file, with whatever column names it has, into a plain table of text cells.

CSV files come from Excel in UTF-8 (with or without a BOM) or, on Chinese Windows, in GB18030; both
are read, and the delimiter (comma, semicolon or tab) is found from the header. Workbook cells are
read as shown: a date cell becomes an ISO date, a whole number loses its ``.0``.

>>> table = read_table("城市,国家\\n南宁,CN\\n".encode("gb18030"), "pairs.csv")
>>> table.header, table.rows
(['城市', '国家'], [['南宁', 'CN']])
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from graph_service.errors import InvalidFile

MAX_ROWS = 20_000
MAX_COLUMNS = 60
MAX_CELL = 5_000
DELIMITERS = ",;\t"


@dataclass
class Table:
    """A header and its rows, every cell as trimmed text (blank as ``""``). ``lines[i]`` is row
    ``i``'s line in the file as a spreadsheet numbers it (the header's line is 1 when the sheet starts
    with it); blank rows are skipped."""

    header: list[str]
    rows: list[list[str]]
    lines: list[int]
    sheet: str | None = None

    def column(self, name: str) -> list[str]:
        position = self.header.index(name)
        return [row[position] for row in self.rows]


def read_table(raw: bytes, filename: str, sheet: str | None = None) -> Table:
    """The table in an uploaded file; ``InvalidFile`` when it is neither a workbook nor a CSV text."""
    if not raw.strip():
        raise InvalidFile("the file is empty", zh="文件是空的。")
    is_zip = raw[:4] == b"PK\x03\x04"
    if filename.lower().endswith((".xlsx", ".xlsm")) or is_zip:
        return _tidy(*_workbook(raw, sheet))
    if filename.lower().endswith(".xls") or raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise InvalidFile("old Excel .xls files cannot be read: save the sheet as .xlsx or .csv",
                          zh="无法读取旧版 Excel(.xls)文件:请另存为 .xlsx 或 .csv。")
    return _tidy(_csv_rows(raw), None)


def _workbook(raw: bytes, sheet: str | None) -> tuple[list[list[Any]], str]:
    from openpyxl import load_workbook  # loaded on demand: only uploads of workbooks need it

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InvalidFile(f"not a readable .xlsx workbook ({type(exc).__name__})",
                          zh="不是可读取的 .xlsx 工作簿。") from None
    try:
        names = book.sheetnames
        if sheet is not None and sheet not in names:
            raise InvalidFile(f"the workbook has no sheet {sheet[:60]!r}; its sheets: {', '.join(names)}",
                              zh=f"工作簿中没有名为“{sheet[:60]}”的工作表。")
        chosen = book[sheet or names[0]]
        rows = []
        for row in chosen.iter_rows(values_only=True):
            rows.append(list(row[:MAX_COLUMNS]))
            if len(rows) > MAX_ROWS + 1:
                raise InvalidFile(f"the sheet has more than {MAX_ROWS:,} rows; split it into smaller files",
                                  zh=f"表格超过 {MAX_ROWS:,} 行,请拆分成较小的文件。")
        return rows, chosen.title
    finally:
        book.close()


def _decode(raw: bytes) -> str:
    if b"\x00" in raw:
        raise InvalidFile("not a text file: it contains NUL bytes (a binary file?)",
                          zh="不是文本文件(含有空字节,可能是二进制文件)。")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidFile("the CSV file is neither UTF-8 nor GB18030 text",
                      zh="CSV 文件既不是 UTF-8 也不是 GB18030 编码。")


def _csv_rows(raw: bytes) -> list[list[Any]]:
    text = _decode(raw)
    first = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=first.count)
    try:
        rows = []
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            rows.append(row[:MAX_COLUMNS])
            if len(rows) > MAX_ROWS + 1:
                raise InvalidFile(f"the file has more than {MAX_ROWS:,} rows; split it into smaller files",
                                  zh=f"文件超过 {MAX_ROWS:,} 行,请拆分成较小的文件。")
    except csv.Error as exc:
        raise InvalidFile(f"not a readable CSV file: {exc}", zh="不是可读取的 CSV 文件。") from None
    return rows


def cell_text(value: Any) -> str:
    """A cell as text: ISO dates for date cells, ``12`` for ``12.0``, trimmed, at most ``MAX_CELL`` long."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        text = value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    elif isinstance(value, date):
        text = value.isoformat()
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    else:
        text = str(value)
    return text.strip()[:MAX_CELL]


def _tidy(rows: list[list[Any]], sheet: str | None) -> Table:
    cells = [[cell_text(v) for v in row] for row in rows]
    start = next((i for i, row in enumerate(cells) if any(row)), None)
    if start is None:
        raise InvalidFile("the sheet has no header line", zh="表格没有表头行。")
    header = cells[start]
    while header and not header[-1]:
        header.pop()
    if not header:
        raise InvalidFile("the sheet has no header line", zh="表格没有表头行。")
    names: list[str] = []
    seen: dict[str, int] = {}
    for i, name in enumerate(header):
        base = name or f"column {i + 1}"
        seen[base] = seen.get(base, 0) + 1
        names.append(base if seen[base] == 1 else f"{base} ({seen[base]})")
    width = len(names)
    body = [((row + [""] * width)[:width], start + offset + 2) for offset, row in enumerate(cells[start + 1:])]
    body = [(row, line) for row, line in body if any(row)]
    if not body:
        raise InvalidFile("the sheet has a header but no rows", zh="表格只有表头,没有数据行。")
    return Table(header=names, rows=[row for row, _ in body], lines=[line for _, line in body], sheet=sheet)
