"""The one way the station writes a CSV file: every cell neutralised, whole file or none.

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula
(and some treat a leading tab or carriage return the same way), so a staff
name like `=HYPERLINK("http://…","x")` or a lot number typed as `+1-2`
would run on the manager's computer. Following OWASP's advice on CSV
injection, such a text cell gets a leading `'`, which spreadsheets show as
text and never run.

Numbers that the station itself writes as numbers (Python ints and floats:
units, deltas, counts, rates) stay numbers, also when negative (a `-6`
movement delta), so sums and charts keep working: a number cannot carry a
formula. Anything else is written as text and neutralised.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from kiosk.errors import DataDirError

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """A cell as written: numbers as they are, text with a leading `'` if it could run."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Write the whole file beside its place and rename it in, so no half file is left;
    returns the number of data rows."""
    path = Path(path)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(name) for name in header])
    count = 0
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
        count += 1
    tmp = path.with_name(path.name + ".partial")
    try:
        tmp.write_text(buffer.getvalue(), encoding="utf-8", newline="")
        os.replace(tmp, path)
    except OSError as error:
        tmp.unlink(missing_ok=True)
        raise DataDirError(f"Cannot write {path}: {error.strerror or error}.") from None
    return count
