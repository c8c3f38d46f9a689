"""The records (audit log): every exchange, kept append-only and tamper-evident.

Iwaki's guideline: the information policy division keeps and manages all records centrally.
Pure domain (no botbuilder import); the Teams side is bot.teams.stages.audit.

    record.py     AuditRecord and the pure builders from a Turn (what is stored, by phase)
    chain.py      storage layout (partitions, row keys, head row) and the hash chain
    log.py        AuditLog: append / iter_month / verify / summary / purge
    verify.py     chain checking: first broken link per partition, incomplete turns
    summary.py    a month summed up for the admin summary card
    retention.py  which months the retention period protects
    recorder.py   TurnRecorder (begin / event / finish) and the RECORDER turn_state key
"""

from bot.core.audit.chain import StoredRecord
from bot.core.audit.log import AuditLog, PurgeReport
from bot.core.audit.record import AuditRecord, Phase, event_record, record_from_turn
from bot.core.audit.recorder import RECORDER, TurnRecorder, record_refused, recorder_of
from bot.core.audit.retention import RetentionError
from bot.core.audit.summary import AuditSummary
from bot.core.audit.verify import PartitionReport, Problem, VerifyReport

__all__ = [
    "RECORDER",
    "AuditLog",
    "AuditRecord",
    "AuditSummary",
    "PartitionReport",
    "Phase",
    "Problem",
    "PurgeReport",
    "RetentionError",
    "StoredRecord",
    "TurnRecorder",
    "VerifyReport",
    "event_record",
    "record_from_turn",
    "record_refused",
    "recorder_of",
]
