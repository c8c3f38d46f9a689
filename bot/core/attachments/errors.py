"""Why a file could not be used, as a small typed hierarchy (the UI picks the Japanese message).

    AttachmentError                 base; `kind` is recorded, `name` is the file as the user named it
    ├── TooManyFilesError           more files in one message than the policy allows
    ├── UnsupportedTypeError        not one of the supported types (old .doc/.xls too)
    ├── HostNotAllowedError         host not in ATTACHMENT_DOWNLOAD_HOSTS (nothing fetched)
    ├── DownloadFailed              network error, timeout or an unexpected status
    │   ├── DownloadExpiredError    401/403/404/410: the pre-authenticated link is no longer valid
    │   └── FileTooLargeError       more bytes than ATTACHMENT_MAX_BYTES (stopped while streaming),
    │                               or a file on disk over the knowledge's size limit (not read)
    ├── UnreadableFileError         a file on disk that cannot be opened (no permission, gone)
    ├── CorruptFileError            cannot be read as its type (also: unsafe structure, zip bombs)
    ├── PasswordProtectedError      encrypted Office file or PDF
    ├── ScanLikePdfError            a PDF without a text layer
    ├── NoTextError                 readable, but there is no text in it
    └── TooLongError                more characters than the policy allows (per file or per message)

Messages never carry the URL (its query is a credential) nor the file's content.
"""

from __future__ import annotations

from bot.core.errors import BotError


class AttachmentError(BotError):
    """A file the bot cannot use; nothing is sent to the model."""

    kind = "attachment"

    def __init__(self, name: str = "", detail: str = "") -> None:
        super().__init__(f"{self.kind}: {detail}" if detail else self.kind)
        self.name = name
        self.detail = detail  # for logs: never a URL, never content


class TooManyFilesError(AttachmentError):
    """More files in one message than the policy allows."""

    kind = "too_many_files"

    def __init__(self, count: int, limit: int) -> None:
        super().__init__("", f"{count} files, limit {limit}")
        self.count, self.limit = count, limit


class UnsupportedTypeError(AttachmentError):
    """The file type is not supported."""

    kind = "unsupported_type"

    def __init__(self, name: str, file_type: str) -> None:
        super().__init__(name, f"type {file_type!r}")
        self.file_type = file_type


class HostNotAllowedError(AttachmentError):
    """The download host is not allowed (or plain http to a host that is not loopback)."""

    kind = "host_not_allowed"

    def __init__(self, name: str, host: str) -> None:
        super().__init__(name, f"host {host!r}")
        self.host = host


class DownloadFailed(AttachmentError):
    """The file could not be downloaded."""

    kind = "download_failed"


class DownloadExpiredError(DownloadFailed):
    """The pre-authenticated link was refused or is gone: attach the file again."""

    kind = "download_expired"


class FileTooLargeError(DownloadFailed):
    """More bytes than allowed."""

    kind = "file_too_large"

    def __init__(self, name: str, limit_bytes: int) -> None:
        super().__init__(name, f"over {limit_bytes} bytes")
        self.limit_bytes = limit_bytes


class UnreadableFileError(AttachmentError):
    """A file on disk (`python -m bot knowledge add`) that cannot be opened; `detail` has the OS's reason."""

    kind = "unreadable"


class CorruptFileError(AttachmentError):
    """The file cannot be read as its type (broken, or structured in a way we refuse to open)."""

    kind = "corrupt"


class PasswordProtectedError(AttachmentError):
    """The file is encrypted with a password."""

    kind = "password_protected"


class ScanLikePdfError(AttachmentError):
    """A PDF whose pages carry no text (scanned images)."""

    kind = "scan_like_pdf"


class NoTextError(AttachmentError):
    """The file was read but holds no text."""

    kind = "no_text"


class TooLongError(AttachmentError):
    """More characters than the policy allows; `at_least` when extraction stopped early."""

    kind = "too_long"

    def __init__(
        self, name: str, chars: int, limit: int, *, per_message: bool = False, at_least: bool = False
    ):
        super().__init__(name, f"{chars} chars, limit {limit}")
        self.chars, self.limit, self.per_message, self.at_least = chars, limit, per_message, at_least
