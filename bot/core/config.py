"""Configuration, read once, in one place, strictly.

`Settings.from_env()` is called by the CLI at start-up and nowhere else; everything downstream
receives the `Settings` object. A malformed value raises `ConfigError` naming the variable, so an
operator sees "QUOTA_MONTHLY_CHAR_LIMIT: must be a positive integer (got 'abc')" and not a traceback.
An optional `.env` file (KEY=VALUE lines) is read first; real environment variables win.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from enum import StrEnum
from pathlib import Path
from typing import Any

from bot.core.errors import ConfigError

_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOST = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(?:\.{_LABEL})*$")
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


class AppType(StrEnum):
    """Bot identity types accepted by the Bot Framework."""

    SINGLE_TENANT = "SingleTenant"
    MULTI_TENANT = "MultiTenant"
    USER_ASSIGNED_MSI = "UserAssignedMSI"


class ModelKind(StrEnum):
    """Which model backend answers."""

    DRY_RUN = "dry-run"
    OPENAI = "openai"
    AZURE_OPENAI = "azure-openai"


class StorageKind(StrEnum):
    """Which storage backend keeps the bot's state and records."""

    SQLITE = "sqlite"
    AZURE_TABLES = "azure-tables"


def setting(env: str, default: Any, parse: str = "text", *, secret: bool = False, **options: Any) -> Any:
    """Declare one setting: its environment variable, default and parser, in one place (the field).

    `parse` names an accessor of `_Env` (text, url, integer, optional_int, seconds, flag, ids, path,
    optional_path, app_type, log_level, prefix, hosts); `options` go to it (e.g. `minimum=0`). A
    secret is kept out of `repr`.
    """
    return field(default=default, repr=not secret, metadata={"env": env, "parse": parse, "options": options})


@dataclass(frozen=True)
class Settings:
    """Everything the bot reads from its environment. Each field is declared once: its variable,
    default and parser in `setting(...)`, its meaning in the docstring under it."""

    app_id: str = setting("MicrosoftAppId", "")
    """MicrosoftAppId. Empty means anonymous local development (loopback only)."""
    app_password: str = setting("MicrosoftAppPassword", "", secret=True)
    """MicrosoftAppPassword (client secret); empty for UserAssignedMSI."""
    app_type: AppType = setting("MicrosoftAppType", AppType.SINGLE_TENANT, "app_type")
    """MicrosoftAppType: SingleTenant (default), MultiTenant or UserAssignedMSI."""
    app_tenant_id: str = setting("MicrosoftAppTenantId", "")
    """MicrosoftAppTenantId: required for SingleTenant and UserAssignedMSI when app_id is set."""
    policy: str = setting("BOT_POLICY", "iwaki")
    """BOT_POLICY: `iwaki`, `maebashi` or a path to a policy TOML file."""
    data_dir: Path = setting("BOT_DATA_DIR", Path("data"), "path")
    """BOT_DATA_DIR: where the embedded SQLite database lives."""
    tables_connection_string: str = setting("AZURE_TABLES_CONNECTION_STRING", "", secret=True)
    """AZURE_TABLES_CONNECTION_STRING: selects Azure Table Storage."""
    tables_endpoint: str = setting("AZURE_TABLES_ENDPOINT", "", "url")
    """AZURE_TABLES_ENDPOINT: Azure Table Storage with managed identity (azure-identity)."""
    table_prefix: str = setting("BOT_TABLE_PREFIX", "bot", "prefix")
    """BOT_TABLE_PREFIX: prefix of the Azure table names (letters and digits)."""
    azure_openai_endpoint: str = setting("AZURE_OPENAI_ENDPOINT", "", "url")
    """AZURE_OPENAI_ENDPOINT: selects Azure OpenAI together with AZURE_OPENAI_DEPLOYMENT."""
    azure_openai_deployment: str = setting("AZURE_OPENAI_DEPLOYMENT", "")
    """AZURE_OPENAI_DEPLOYMENT: the model deployment name."""
    azure_openai_api_key: str = setting("AZURE_OPENAI_API_KEY", "", secret=True)
    """AZURE_OPENAI_API_KEY: empty means managed identity."""
    azure_openai_api_version: str = setting("AZURE_OPENAI_API_VERSION", "2024-10-21")
    """AZURE_OPENAI_API_VERSION: REST API version."""
    openai_api_key: str = setting("OPENAI_API_KEY", "", secret=True)
    """OPENAI_API_KEY: selects OpenAI or an OpenAI-compatible server."""
    openai_base_url: str = setting("OPENAI_BASE_URL", "", "url")
    """OPENAI_BASE_URL: an OpenAI-compatible server (vLLM, Ollama, llama.cpp) on a closed network."""
    openai_model: str = setting("OPENAI_MODEL", "gpt-4o")
    """OPENAI_MODEL: model name for OpenAI-compatible servers."""
    model_timeout_s: float = setting("MODEL_TIMEOUT_SECONDS", 60.0, "seconds")
    """MODEL_TIMEOUT_SECONDS: per-request timeout towards the model."""
    model_max_retries: int = setting("MODEL_MAX_RETRIES", 2, "integer", minimum=0)
    """MODEL_MAX_RETRIES: retries with backoff on 429/5xx before answering with an error."""
    dry_run_pace: bool = setting("DRY_RUN_PACE", False, "flag")
    """DRY_RUN_PACE: stream the dry-run answer at a realistic pace (load tests, demos)."""
    allowed_tenant_ids: frozenset[str] = setting("ALLOWED_TENANT_IDS", frozenset(), "ids")
    """ALLOWED_TENANT_IDS: comma list; activities from other tenants are refused, nothing stored.
    Empty means the bot's own tenant (MicrosoftAppTenantId) when one is set: see tenant_allow_list."""
    admin_aad_object_ids: frozenset[str] = setting("ADMIN_AAD_OBJECT_IDS", frozenset(), "ids")
    """ADMIN_AAD_OBJECT_IDS: comma list of Entra object ids allowed to administer (plus the policy's)."""
    support_team_id: str = setting("SUPPORT_TEAM_ID", "")
    """SUPPORT_TEAM_ID: the team whose channels receive questions, incidents and approvals; empty
    means the first team an administrator installs the bot in (installs elsewhere never move them)."""
    admin_team_id: str = setting("ADMIN_TEAM_ID", "")
    """ADMIN_TEAM_ID: a separate team of administrators only, whose standard channel named by the
    policy's admin_channel_name receives incidents, approvals and alerts; empty means that channel
    is in the support team (bots cannot be relied on in private channels: see the README)."""
    quota_monthly_char_limit: int | None = setting("QUOTA_MONTHLY_CHAR_LIMIT", None, "optional_int")
    """QUOTA_MONTHLY_CHAR_LIMIT: overrides the policy's organisation cap."""
    quota_user_monthly_char_limit: int | None = setting("QUOTA_USER_MONTHLY_CHAR_LIMIT", None, "optional_int")
    """QUOTA_USER_MONTHLY_CHAR_LIMIT: overrides the policy's per-user cap."""
    state_key: str = setting("BOT_STATE_KEY", "", secret=True)
    """BOT_STATE_KEY: base64 32-byte key that encrypts pseudonym tables at rest; generated under
    BOT_DATA_DIR for the embedded default when unset."""
    log_level: str = setting("LOG_LEVEL", "INFO", "log_level")
    """LOG_LEVEL: DEBUG, INFO, WARNING or ERROR."""
    max_body_bytes: int = setting("MAX_REQUEST_BYTES", 256 * 1024, "integer")
    """MAX_REQUEST_BYTES: larger request bodies are refused with 413."""
    openid_metadata_url: str = setting("BOT_OPENID_METADATA_URL", "", "url")
    """BOT_OPENID_METADATA_URL: where inbound token signing keys are published (sovereign clouds, tests)."""
    token_issuer: str = setting("BOT_TOKEN_ISSUER", "")
    """BOT_TOKEN_ISSUER: expected issuer of inbound tokens when BOT_OPENID_METADATA_URL is set."""
    audit_anchor_file: Path | None = setting("AUDIT_ANCHOR_FILE", None, "optional_path")
    """AUDIT_ANCHOR_FILE: append the chain heads (anchors) to this file periodically, at shutdown and
    on purge; put it where the bot may append but not rewrite (see the README's records section)."""
    audit_anchor_blob_container_url: str = setting("AUDIT_ANCHOR_BLOB_CONTAINER_URL", "", "url")
    """AUDIT_ANCHOR_BLOB_CONTAINER_URL: append the anchors to append blobs in this Azure Blob
    container (managed identity), one under a version-level WORM policy (infra/modules/anchors.bicep)."""
    audit_anchor_blob_connection_string: str = setting("AUDIT_ANCHOR_BLOB_CONNECTION_STRING", "", secret=True)
    """AUDIT_ANCHOR_BLOB_CONNECTION_STRING: the same with a connection string (Azurite, keys) and
    AUDIT_ANCHOR_BLOB_CONTAINER."""
    audit_anchor_blob_container: str = setting("AUDIT_ANCHOR_BLOB_CONTAINER", "audit-anchors")
    """AUDIT_ANCHOR_BLOB_CONTAINER: the container used with AUDIT_ANCHOR_BLOB_CONNECTION_STRING."""
    audit_anchor_interval_s: int = setting("AUDIT_ANCHOR_INTERVAL_SECONDS", 3600, "integer", minimum=10)
    """AUDIT_ANCHOR_INTERVAL_SECONDS: how often the running bot anchors the heads."""
    max_background_turns: int = setting("MAX_BACKGROUND_TURNS", 400, "integer")
    """MAX_BACKGROUND_TURNS: message turns running at once in one process; beyond it 503 + Retry-After."""
    attachment_download_hosts: tuple[str, ...] = setting(
        "ATTACHMENT_DOWNLOAD_HOSTS", ("*.sharepoint.com",), "hosts"
    )
    """ATTACHMENT_DOWNLOAD_HOSTS: comma list of host names or `*.suffix` that attached files may be
    downloaded from (https; plain http only to loopback hosts). Anything else is never fetched."""
    attachment_max_bytes: int = setting("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024, "integer")
    """ATTACHMENT_MAX_BYTES: largest attached file, enforced while downloading."""
    attachment_timeout_s: float = setting("ATTACHMENT_TIMEOUT_SECONDS", 30.0, "seconds")
    """ATTACHMENT_TIMEOUT_SECONDS: time allowed for one file's download."""
    knowledge_embeddings_model: str = setting("KNOWLEDGE_EMBEDDINGS_MODEL", "")
    """KNOWLEDGE_EMBEDDINGS_MODEL: an embeddings model (or Azure deployment) switches hybrid retrieval on.
    Off when empty, whatever the chat model's settings are."""
    knowledge_embeddings_base_url: str = setting("KNOWLEDGE_EMBEDDINGS_BASE_URL", "", "url")
    """KNOWLEDGE_EMBEDDINGS_BASE_URL: OpenAI-compatible embeddings server; empty = the chat model's
    endpoint (Azure OpenAI, OpenAI or OPENAI_BASE_URL) with its key."""
    knowledge_embeddings_api_key: str = setting("KNOWLEDGE_EMBEDDINGS_API_KEY", "", secret=True)
    """KNOWLEDGE_EMBEDDINGS_API_KEY: key for KNOWLEDGE_EMBEDDINGS_BASE_URL."""
    knowledge_refresh_s: float = setting("KNOWLEDGE_REFRESH_SECONDS", 5.0, "seconds")
    """KNOWLEDGE_REFRESH_SECONDS: how often an instance checks the knowledge's version in the storage."""

    @property
    def model_kind(self) -> ModelKind:
        """The model backend these settings select."""
        if self.azure_openai_endpoint:
            return ModelKind.AZURE_OPENAI
        if self.openai_api_key or self.openai_base_url:
            return ModelKind.OPENAI
        return ModelKind.DRY_RUN

    @property
    def storage_kind(self) -> StorageKind:
        """The storage backend these settings select."""
        if self.tables_connection_string or self.tables_endpoint:
            return StorageKind.AZURE_TABLES
        return StorageKind.SQLITE

    @property
    def tenant_allow_list(self) -> frozenset[str]:
        """Tenants served: ALLOWED_TENANT_IDS, else MicrosoftAppTenantId, else any (empty)."""
        if self.allowed_tenant_ids:
            return self.allowed_tenant_ids
        return frozenset({self.app_tenant_id.strip().lower()}) if self.app_tenant_id.strip() else frozenset()

    @property
    def anonymous(self) -> bool:
        """True when no app id is set: no inbound authentication (local development only)."""
        return not self.app_id

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, env_file: Path | None = Path(".env")
    ) -> Settings:
        """Parse settings from the environment (and an optional .env file); raise ConfigError."""
        values: dict[str, str] = {}
        if env_file is not None and env_file.is_file():
            values.update(read_env_file(env_file))
        values.update(os.environ if environ is None else environ)
        return _parse(_Env(values))


def read_env_file(path: Path) -> dict[str, str]:
    """Read KEY=VALUE lines (comments, blank lines and `export ` prefixes allowed)."""
    out: dict[str, str] = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        line = line.removeprefix("export ").strip()
        key, sep, value = line.partition("=")
        if not sep or not key.strip().isidentifier():
            raise ConfigError(f"{path}:{number}", "expected KEY=VALUE")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        out[key.strip()] = value
    return out


class _Env:
    """Typed, strict accessors over a string mapping: each takes (name, default, **options)."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self._values = values

    def raw(self, name: str) -> str:
        return self._values.get(name, "").strip()

    def text(self, name: str, default: str) -> str:
        return self.raw(name) or default

    def path(self, name: str, default: Path) -> Path:
        return Path(self.raw(name) or default)

    def optional_path(self, name: str, default: Path | None) -> Path | None:
        return Path(self.raw(name)) if self.raw(name) else default

    def integer(self, name: str, default: int, *, minimum: int = 1) -> int:
        value = self.optional_int(name, None, minimum=minimum)
        return default if value is None else value

    def optional_int(self, name: str, default: int | None, *, minimum: int = 1) -> int | None:
        raw = self.raw(name)
        if not raw:
            return default
        try:
            value = int(raw.replace("_", "").replace(",", ""))
        except ValueError:
            raise ConfigError(name, f"must be an integer (got {raw!r})") from None
        if value < minimum:
            raise ConfigError(name, f"must be at least {minimum} (got {value})")
        return value

    def seconds(self, name: str, default: float) -> float:
        raw = self.raw(name)
        if not raw:
            return default
        try:
            value = float(raw)
        except ValueError:
            raise ConfigError(name, f"must be a number of seconds (got {raw!r})") from None
        if value <= 0:
            raise ConfigError(name, f"must be positive (got {raw!r})")
        return value

    def flag(self, name: str, default: bool) -> bool:
        raw = self.raw(name).lower()
        if not raw:
            return default
        if raw in {"1", "true", "yes", "on"}:
            return True
        if raw in {"0", "false", "no", "off"}:
            return False
        raise ConfigError(name, f"must be true or false (got {raw!r})")

    def ids(self, name: str, default: frozenset[str]) -> frozenset[str]:
        items = [part.strip() for part in self.raw(name).split(",") if part.strip()]
        for item in items:
            if not _GUID.match(item):
                raise ConfigError(
                    name,
                    "each entry must be an Entra object id, a GUID such as"
                    f" 00000000-0000-0000-0000-000000000020 (got {item!r}; in the Agents Playground"
                    " the default user has no object id: start it"
                    " with tests/e2e/playground.yml, whose user has that id)",
                )
        return frozenset(item.lower() for item in items) if items else default

    def url(self, name: str, default: str) -> str:
        raw = self.raw(name)
        if raw and not re.match(r"^https?://[^\s/]+", raw):
            raise ConfigError(name, f"must be an http(s) URL (got {raw!r})")
        return raw.rstrip("/") or default

    def app_type(self, name: str, default: AppType) -> AppType:
        return _app_type(self.raw(name) or default.value)

    def log_level(self, name: str, default: str) -> str:
        level = (self.raw(name) or default).upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ConfigError(name, f"must be DEBUG, INFO, WARNING or ERROR (got {level!r})")
        return level

    def hosts(self, name: str, default: tuple[str, ...]) -> tuple[str, ...]:
        raw = self.raw(name)
        if not raw:
            return default
        items = tuple(part.strip().lower().rstrip(".") for part in raw.split(",") if part.strip())
        for item in items:
            bare = item.removeprefix("*.")
            if not _HOST.match(bare) or (item.startswith("*.") and "." not in bare):
                problem = "each entry must be a host name or *.domain.suffix, no scheme or path"
                raise ConfigError(name, f"{problem} (got {item!r})")
        return items

    def prefix(self, name: str, default: str) -> str:
        prefix = self.raw(name) or default
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]{0,40}", prefix):
            raise ConfigError(name, f"must be letters and digits, starting with a letter (got {prefix!r})")
        return prefix


def _parse(env: _Env) -> Settings:
    values = {
        f.name: getattr(env, f.metadata["parse"])(f.metadata["env"], f.default, **f.metadata["options"])
        for f in fields(Settings)
    }
    settings = Settings(**values)
    _check_together(settings)
    return settings


def _check_together(s: Settings) -> None:
    """The rules that span several settings."""
    if s.app_id and not _GUID.match(s.app_id):
        raise ConfigError(
            "MicrosoftAppId", f"must be the bot's Entra application (client) id GUID (got {s.app_id!r})"
        )
    if s.app_id and s.app_type is not AppType.MULTI_TENANT and not s.app_tenant_id:
        raise ConfigError("MicrosoftAppTenantId", f"is required when MicrosoftAppType is {s.app_type.value}")
    if s.app_id and s.app_type is AppType.SINGLE_TENANT and not s.app_password:
        raise ConfigError(
            "MicrosoftAppPassword", "is required for a SingleTenant bot (or use UserAssignedMSI)"
        )
    if s.azure_openai_endpoint and not s.azure_openai_deployment:
        raise ConfigError("AZURE_OPENAI_DEPLOYMENT", "is required when AZURE_OPENAI_ENDPOINT is set")
    if s.audit_anchor_blob_container_url and s.audit_anchor_blob_connection_string:
        raise ConfigError(
            "AUDIT_ANCHOR_BLOB_CONNECTION_STRING",
            "set either it or AUDIT_ANCHOR_BLOB_CONTAINER_URL (managed identity), not both",
        )
    if s.azure_openai_deployment and not s.azure_openai_endpoint:
        raise ConfigError("AZURE_OPENAI_ENDPOINT", "is required when AZURE_OPENAI_DEPLOYMENT is set")


def env_names() -> list[str]:
    """Every environment variable the settings read, in declaration order (docs and infra check it)."""
    return [f.metadata["env"] for f in fields(Settings)]


def _app_type(raw: str) -> AppType:
    for member in AppType:
        if member.value.lower() == raw.lower():
            return member
    allowed = ", ".join(m.value for m in AppType)
    raise ConfigError("MicrosoftAppType", f"must be one of {allowed} (got {raw!r})")


def is_loopback(host: str) -> bool:
    """True when `host` names only the local machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
