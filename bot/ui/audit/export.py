"""Writing records out for the information policy division: CSV for Excel, JSON Lines for tools.

CSV is UTF-8 **with a BOM** (Excel then opens it with the Japanese intact), CRLF line ends, Japanese
column headers (bot.ui.audit.texts.COLUMN_LABELS) and times in Japan time next to the stored UTC.
Codes (`mask`, `person_name:1`, `access.consent`, `personal` …) read as Japanese labels, each with
its raw code in a column of its own (…（コード）) for filtering and tools.
Cells that start with `= + - @`, a tab or a carriage return get a leading apostrophe so that
Excel never runs text typed by a user or written by the model as a formula (CSV injection);
JSON Lines keeps every value exactly as stored.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import Any, Literal, TextIO

from bot.core.audit import AuditLog
from bot.core.audit.chain import StoredRecord
from bot.core.audit.months import jst_display
from bot.core.audit.record import FIELD_NAMES, canonical_json
from bot.core.audit.verify import incomplete_turns
from bot.core.screening import KIND_LABELS
from bot.ui.audit.texts import CODE_LABELS, COLUMN_LABELS, INCOMPLETE, OUTCOME_LABELS, PHASE_LABELS, YES

ExportFormat = Literal["csv", "jsonl"]
FORMATS: tuple[ExportFormat, ...] = ("csv", "jsonl")
BOM = "\ufeff"
COLUMNS: tuple[str, ...] = tuple(COLUMN_LABELS)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


async def export_month(audit: AuditLog, month: str, fmt: str, user: str | None, out: TextIO) -> int:
    """Write one month's records (optionally one user's) to `out`; return the row count."""
    records = [s async for s in audit.iter_month(month, user)]
    return write_export(records, incomplete_turns(records), fmt, out)


def write_export(records: Iterable[StoredRecord], incomplete: set[str], fmt: str, out: TextIO) -> int:
    """Write `records` to the text stream `out` (opened with newline=""); return the row count."""
    if fmt == "csv":
        return _write_csv(records, incomplete, out)
    if fmt == "jsonl":
        return _write_jsonl(records, incomplete, out)
    raise ValueError(f"format must be one of {', '.join(FORMATS)} (got {fmt!r})")


def _write_csv(records: Iterable[StoredRecord], incomplete: set[str], out: TextIO) -> int:
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([COLUMN_LABELS[c] for c in COLUMNS])
    count = 0
    for stored in records:
        cells = csv_cells(stored, _is_incomplete(stored, incomplete))
        writer.writerow([_cell(cells[c]) for c in COLUMNS])
        count += 1
    return count


def _write_jsonl(records: Iterable[StoredRecord], incomplete: set[str], out: TextIO) -> int:
    count = 0
    for stored in records:
        out.write(json.dumps(json_row(stored, _is_incomplete(stored, incomplete)), ensure_ascii=False) + "\n")
        count += 1
    return count


def _is_incomplete(stored: StoredRecord, incomplete: set[str]) -> bool:
    return stored.record.phase == "start" and stored.record.turn_id in incomplete


def csv_cells(stored: StoredRecord, incomplete: bool) -> dict[str, Any]:
    """The CSV values of one record, by column key, as people read them."""
    r = stored.record
    cells: dict[str, Any] = {name: getattr(r, name) for name in FIELD_NAMES}
    for column in ("conversation_type", "source", "event", "screening_action"):
        code = str(cells[column] or "")
        cells[column], cells[f"{column}_code"] = CODE_LABELS[column].get(code, code), code
    categories = CODE_LABELS["screening_categories"]
    cells.update(
        phase=PHASE_LABELS.get(r.phase, r.phase),
        status=INCOMPLETE if incomplete else "",
        time_jst=jst_display(r.time),
        time_utc=r.time,
        screening_kinds="、".join(f"{KIND_LABELS.get(k, k)} {n}件" for k, n in r.screening_kinds.items()),
        screening_kinds_code=", ".join(f"{kind}:{count}" for kind, count in r.screening_kinds.items()),
        screening_categories="、".join(categories.get(c, c) for c in r.screening_categories),
        screening_categories_code=", ".join(r.screening_categories),
        confirmed=YES if r.confirmed else "",
        outcome=OUTCOME_LABELS.get(r.outcome, r.outcome.value) if r.outcome else "",
        details=canonical_json(dict(r.details)) if r.details else "",
        partition=stored.partition,
        seq=stored.seq,
        prev_hash=stored.prev_hash,
        hash=stored.hash,
    )
    return cells


def json_row(stored: StoredRecord, incomplete: bool) -> dict[str, Any]:
    """One record as a JSON object: stored values plus the Japan time and the chain fields."""
    r = stored.record
    row: dict[str, Any] = {name: getattr(r, name) for name in FIELD_NAMES}
    row.update(
        time_jst=jst_display(r.time),
        status="incomplete" if incomplete else "",
        screening_kinds=dict(r.screening_kinds),
        screening_categories=list(r.screening_categories),
        outcome=r.outcome.value if r.outcome else "",
        details=dict(r.details),
        partition=stored.partition,
        seq=stored.seq,
        prev_hash=stored.prev_hash,
        hash=stored.hash,
    )
    return row


def _cell(value: Any) -> Any:
    """Neutralise text Excel would evaluate as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
