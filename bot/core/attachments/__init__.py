"""Files staff attach: download (allowed hosts only), extract text that keeps structure, compose.

Pure domain code (no botbuilder, no Japanese UI strings): the Teams layer turns an attachment into
a `FileRef`, `Downloader.fetch` gets the bytes, `extract` the text, `compose` the model-bound text
that then goes through screening like anything typed. Errors: bot.core.attachments.errors.
"""

from bot.core.attachments.compose import (
    Section,
    compose,
    name_key,
    section_of,
    sections,
    speakers_in,
    spellings,
)
from bot.core.attachments.download import AllowedHosts, Downloader
from bot.core.attachments.errors import (
    AttachmentError,
    CorruptFileError,
    DownloadExpiredError,
    DownloadFailed,
    FileTooLargeError,
    HostNotAllowedError,
    NoTextError,
    PasswordProtectedError,
    ScanLikePdfError,
    TooLongError,
    TooManyFilesError,
    UnreadableFileError,
    UnsupportedTypeError,
)
from bot.core.attachments.extract import Extracted, extract
from bot.core.attachments.files import SUPPORTED, FileRef, check_refs, clean_name, file_type_of
from bot.core.attachments.instructions import instruction_for

__all__ = [
    "SUPPORTED",
    "AllowedHosts",
    "AttachmentError",
    "CorruptFileError",
    "DownloadExpiredError",
    "DownloadFailed",
    "Downloader",
    "Extracted",
    "FileRef",
    "FileTooLargeError",
    "HostNotAllowedError",
    "NoTextError",
    "PasswordProtectedError",
    "ScanLikePdfError",
    "Section",
    "TooLongError",
    "TooManyFilesError",
    "UnreadableFileError",
    "UnsupportedTypeError",
    "check_refs",
    "clean_name",
    "compose",
    "extract",
    "file_type_of",
    "instruction_for",
    "name_key",
    "section_of",
    "sections",
    "speakers_in",
    "spellings",
]
