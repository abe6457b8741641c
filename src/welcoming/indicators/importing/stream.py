"""Files read as streams of rows, so that a census profile of gigabytes never sits in memory."""

import codecs
import csv
import hashlib
import io
from collections.abc import Iterator
from typing import Any, BinaryIO

from .records import UNREADABLE, ImportRejected, RowError

CHUNK = 1 << 20
UTF8 = "utf-8-sig"
WINDOWS = "cp1252"  # Statistics Canada's census profile downloads; Excel's CSV on Windows


def fingerprint(stream: BinaryIO) -> tuple[str, str | None]:
    """The SHA-256 of the whole file and the encoding to read it as text, in one pass: UTF-8,
    else Windows-1252; None when it holds NUL bytes (a binary file, UTF-16). Rewinds the file."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8, text = True, True
    while chunk := stream.read(CHUNK):
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


def csv_rows(stream: BinaryIO, encoding: str | None) -> Iterator[list[str]]:
    """Rows of a CSV file, one at a time."""
    if encoding is None:
        raise ImportRejected([RowError(1, "", "", str(UNREADABLE))])
    text = io.TextIOWrapper(io.BufferedReader(_Borrowed(stream)), encoding=encoding, newline="")
    try:
        yield from csv.reader(text)
    except UnicodeDecodeError as error:  # Windows-1252 leaves five bytes undefined
        raise ImportRejected([RowError(1, "", "", str(UNREADABLE))]) from error


def dict_rows(header: list[str], rows: Iterator[list[str]]) -> Iterator[tuple[int, dict[str, str]]]:
    """Non-empty rows as (line number, column → cell), the header being line 1."""
    for line, row in enumerate(rows, start=2):
        if row:
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
