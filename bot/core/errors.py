"""The product's error hierarchy.

    BotError                      base of everything raised on purpose by this package
    ├── ConfigError               bad environment / .env value (names the variable)
    ├── PolicyError               invalid policy file (names the file and key)
    ├── StorageError              storage unreachable or failed (fail closed)
    │   ├── ConflictError         ETag / existence precondition failed (optimistic concurrency)
    │   └── NotFoundError         entity does not exist
    ├── QuotaError                quota refused the turn
    │   ├── QuotaExceeded         a cap would be overshot (carries the scope and reset time)
    │   ├── RateLimitExceeded     the user sent more turns a minute than the policy allows
    │   └── QuotaBusy             the counters stayed contended: try again soon
    │       └── UserTurnsBusy     the user already has as many turns in progress as allowed
    ├── ModelError                the model could not answer (a `kind` per failure, bot.core.model.base)
    ├── RetentionError            a purge inside the retention period (bot.core.audit.retention)
    ├── TemplateSpecError         a template written in Teams cannot be saved (bot.core.shared_templates)
    ├── LeadSpecError             a 所属's template lead cannot be named (bot.core.template_leads)
    ├── DeliveryError             a proactive message could not be delivered (bot.teams.channels)
    │   ├── NoReference           no conversation reference stored for the recipient
    │   ├── Blocked               the recipient blocked or removed the bot (403)
    │   └── ConnectorFailed       the Bot Connector failed after retries
    ├── AttachmentError           an attached file cannot be used (bot.core.attachments.errors)
    │   ├── TooManyFilesError     more files in one message than the policy allows
    │   ├── UnsupportedTypeError  not a supported type (old .doc/.xls too)
    │   ├── HostNotAllowedError   download host not in ATTACHMENT_DOWNLOAD_HOSTS (nothing fetched)
    │   ├── DownloadFailed        network error, timeout or an unexpected status
    │   │   ├── DownloadExpiredError  401/403/404/410: the link is no longer valid
    │   │   └── FileTooLargeError     more bytes than ATTACHMENT_MAX_BYTES
    │   ├── UnreadableFileError   a file on disk that cannot be opened (knowledge add)
    │   ├── CorruptFileError      unreadable as its type, or an unsafe structure (zip bomb, DTD)
    │   ├── PasswordProtectedError  encrypted Office file or PDF
    │   ├── ScanLikePdfError      a PDF without a text layer
    │   ├── NoTextError           readable, but no text in it
    │   └── TooLongError          over the policy's characters per file or per message
    └── ManifestError             the app package cannot be built (bot.ui.manifest.build)

User-facing messages are chosen from the error type in bot/ui (bot.ui.common for the model's kinds),
never in handlers. tests/test_errors.py keeps this tree and the classes in step.
"""

from __future__ import annotations


class BotError(Exception):
    """Base class of errors this package raises on purpose."""


class ConfigError(BotError):
    """A configuration variable is missing or malformed."""

    def __init__(self, variable: str, problem: str) -> None:
        super().__init__(f"{variable}: {problem}")
        self.variable = variable
        self.problem = problem


class PolicyError(BotError):
    """The policy file is invalid."""


class StorageError(BotError):
    """The storage backend failed or is unreachable."""


class ConflictError(StorageError):
    """An optimistic-concurrency precondition failed (ETag mismatch or entity exists)."""


class NotFoundError(StorageError):
    """The entity does not exist."""


class QuotaError(BotError):
    """Quota refused the turn."""
