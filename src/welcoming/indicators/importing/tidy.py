"""The documented tidy layout: community_code, indicator_code, period, value, status.

One row per value, in CSV (UTF-8, or Windows-1252 as Excel saves it) or XLSX (first sheet).
`community_code` is a Statistics Canada SGC code (3520005) or a DGUID (2021A00053520005);
`status` may be empty.
"""

from collections.abc import Iterator
from typing import BinaryIO

from .records import EMPTY_FILE, MISSING_COLUMN, ImportRejected, Record, RowError
from .stream import table_rows

COLUMNS = ("community_code", "indicator_code", "period", "value", "status")
REQUIRED = COLUMNS[:4]


def read_tidy(stream: BinaryIO, encoding: str | None) -> Iterator[Record]:
    """Records of a tidy file; `encoding` is the CSV's (see `stream.fingerprint`)."""
    rows = table_rows(stream, encoding)
    header = next(rows, None)
    if not header:
        raise ImportRejected([RowError(1, "", "", str(EMPTY_FILE))])
    names = [h.strip().lower() for h in header]
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise ImportRejected([RowError(1, c, "", str(MISSING_COLUMN)) for c in missing])
    at = {c: names.index(c) for c in COLUMNS if c in names}
    status_at = at.get("status")
    width = len(names)
    for line, row in enumerate(rows, start=2):
        if not "".join(row).strip():
            continue
        if len(row) < width:
            row = row + [""] * (width - len(row))
        yield Record(
            line=line,
            community=row[at["community_code"]].strip(),
            indicator=row[at["indicator_code"]].strip(),
            period=row[at["period"]].strip(),
            value=row[at["value"]].strip(),
            status=row[status_at].strip().lower() if status_at is not None else "",
        )
