"""Files read as streams of rows, so that a census profile of gigabytes never sits in memory.

Every reader gets its rows from `table_rows`, which tells CSV from XLSX by content (never by
name) and bounds what one row may cost: a line of at most MAX_LINE characters, fields of at most
131,072 characters, at most MAX_COLUMNS columns, and for XLSX at most a spreadsheet's rows and a
bounded unpacked size. A hostile file is refused at its first row past a bound.
"""

import codecs
import csv
import hashlib
import io
import zipfile
from collections.abc import Iterator
from typing import Any, BinaryIO, Literal

from .records import (
    BAD_CSV,
    FIELD_TOO_LONG,
    LINE_TOO_LONG,
    MAX_COLUMNS,
    SHEET_TOO_LARGE,
    TOO_LARGE,
    TOO_MANY_COLUMNS,
    TOO_MANY_ROWS,
    UNREADABLE,
    ImportRejected,
    RowError,
)

CHUNK = 1 << 20
UTF8 = "utf-8-sig"
WINDOWS = "cp1252"  # Statistics Canada's census profile downloads; Excel's CSV on Windows
XLSX_MAGIC = b"PK\x03\x04"
MAX_LINE = 1_000_000  # characters of one physical line of CSV
MAX_SHEET_ROWS = 1_048_576  # Excel's own limit
# What openpyxl keeps in memory whole (the shared strings) and what it unpacks in all.
MAX_SHARED_STRINGS_BYTES = 32 << 20
MAX_UNPACKED_BYTES = 512 << 20  # a tidy sheet of a million rows unpacks to ~200 MB

Kind = Literal["csv", "xlsx"]


def _refuse(line: int, reason: object, value: str = "") -> ImportRejected:
    return ImportRejected([RowError(line, "", value, str(reason))])


def fingerprint(stream: BinaryIO, limit: int | None = None) -> tuple[str, str | None]:
    """The SHA-256 of the whole file and the encoding to read it as text, in one pass: UTF-8,
    else Windows-1252; None when it holds NUL bytes (a binary file, UTF-16). Rewinds the file.

    A file larger than `limit` bytes is refused as soon as it is known to be."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8, text = True, True
    size = 0
    while chunk := stream.read(CHUNK):
        size += len(chunk)
        if limit is not None and size > limit:
            stream.seek(0)
            raise _refuse(1, TOO_LARGE)
        digest.update(chunk)
        text = text and b"\x00" not in chunk
        if utf8:
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                utf8 = False
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    stream.seek(0)
    return digest.hexdigest(), (UTF8 if utf8 else WINDOWS) if text else None


def starts_with(stream: BinaryIO, magic: bytes) -> bool:
    start = stream.read(len(magic))
    stream.seek(0)
    return start == magic


def sniff(stream: BinaryIO, encoding: str | None) -> Kind | None:
    """What the content is, whatever the file is called: an XLSX workbook, CSV text, or
    neither (None). `encoding` is the one `fingerprint` found."""
    if starts_with(stream, XLSX_MAGIC):
        return "xlsx"
    return "csv" if encoding is not None else None


def table_rows(stream: BinaryIO, encoding: str | None) -> Iterator[list[str]]:
    """The rows of a CSV or XLSX file (its first sheet), as text, one at a time."""
    kind = sniff(stream, encoding)
    if kind == "xlsx":
        return xlsx_rows(stream)
    return csv_rows(stream, encoding)


def csv_rows(stream: BinaryIO, encoding: str | None) -> Iterator[list[str]]:
    """Rows of a CSV file, one at a time."""
    if encoding is None:
        raise _refuse(1, UNREADABLE)
    text = io.TextIOWrapper(io.BufferedReader(_Borrowed(stream)), encoding=encoding, newline="")
    reader = csv.reader(_bounded_lines(text))
    start = 1  # the line a row starts on: a quoted field may run over several
    try:
        for row in reader:
            if len(row) > MAX_COLUMNS:
                raise _refuse(start, TOO_MANY_COLUMNS)
            yield row
            start = reader.line_num + 1
    except UnicodeDecodeError as error:  # Windows-1252 leaves five bytes undefined
        raise _refuse(1, UNREADABLE) from error
    except csv.Error as error:
        reason = FIELD_TOO_LONG if "field larger" in str(error) else BAD_CSV
        raise _refuse(start, reason) from error


def _bounded_lines(text: io.TextIOWrapper) -> Iterator[str]:
    """Physical lines, refused past MAX_LINE characters before the csv module sees them: a
    line of a million commas would otherwise become a list of a million fields."""
    number = 0
    while line := text.readline(MAX_LINE + 1):
        number += 1
        if len(line) > MAX_LINE:
            raise _refuse(number, LINE_TOO_LONG)
        yield line


def xlsx_rows(stream: BinaryIO) -> Iterator[list[str]]:
    """Rows of the first sheet of a workbook, read in openpyxl's streaming (read-only) mode."""
    from openpyxl import load_workbook

    _check_workbook(stream)
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception as error:  # openpyxl raises many types for a damaged file
        raise _refuse(1, UNREADABLE) from error
    try:
        for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if line > MAX_SHEET_ROWS:
                raise _refuse(line, TOO_MANY_ROWS)
            row = [_cell(v) for v in values]
            while row and not row[-1]:  # formatting alone makes empty trailing cells
                row.pop()
            if len(row) > MAX_COLUMNS:
                raise _refuse(line, TOO_MANY_COLUMNS)
            yield row
    except ImportRejected:
        raise
    except Exception as error:  # a damaged sheet part fails only when it is reached
        raise _refuse(1, UNREADABLE) from error
    finally:
        workbook.close()


def _check_workbook(stream: BinaryIO) -> None:
    """Refuse, from the zip's directory alone, what is not a workbook or unpacks too large.
    The sizes are the ones the zip declares; zipfile never unpacks more than declared."""
    try:
        with zipfile.ZipFile(stream) as archive:  # a file passed in stays open
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise _refuse(1, UNREADABLE) from error
    finally:
        stream.seek(0)
    names = {p.filename for p in parts}
    if "xl/workbook.xml" not in names:
        raise _refuse(1, UNREADABLE)
    shared = sum(p.file_size for p in parts if p.filename.startswith("xl/sharedStrings"))
    if shared > MAX_SHARED_STRINGS_BYTES or sum(p.file_size for p in parts) > MAX_UNPACKED_BYTES:
        raise _refuse(1, SHEET_TOO_LARGE)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def dict_rows(header: list[str], rows: Iterator[list[str]]) -> Iterator[tuple[int, dict[str, str]]]:
    """Non-empty rows as (line number, column → cell), the header being line 1; the missing
    cells of a short row are empty."""
    width = len(header)
    for line, row in enumerate(rows, start=2):
        if row:
            if len(row) < width:
                row = row + [""] * (width - len(row))
            yield line, dict(zip(header, row, strict=False))


class _Borrowed(io.RawIOBase):
    """The caller's file, read through but left open when the text reader over it goes away."""

    def __init__(self, stream: BinaryIO) -> None:
        super().__init__()
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)
