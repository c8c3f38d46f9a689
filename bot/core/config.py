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
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from bot.core.errors import ConfigError

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


@dataclass(frozen=True)
class Settings:
    """Everything the bot reads from its environment."""

    app_id: str = ""
    """MicrosoftAppId. Empty means anonymous local development (loopback only)."""
    app_password: str = field(default="", repr=False)
    """MicrosoftAppPassword (client secret); empty for UserAssignedMSI."""
    app_type: AppType = AppType.SINGLE_TENANT
    """MicrosoftAppType: SingleTenant (default), MultiTenant or UserAssignedMSI."""
    app_tenant_id: str = ""
    """MicrosoftAppTenantId: required for SingleTenant and UserAssignedMSI when app_id is set."""
    policy: str = "iwaki"
    """BOT_POLICY: `iwaki`, `maebashi` or a path to a policy TOML file."""
    data_dir: Path = Path("data")
    """BOT_DATA_DIR: where the embedded SQLite database lives."""
    tables_connection_string: str = field(default="", repr=False)
    """AZURE_TABLES_CONNECTION_STRING: selects Azure Table Storage."""
    tables_endpoint: str = ""
    """AZURE_TABLES_ENDPOINT: Azure Table Storage with managed identity (azure-identity)."""
    table_prefix: str = "bot"
    """BOT_TABLE_PREFIX: prefix of the Azure table names (letters and digits)."""
    azure_openai_endpoint: str = ""
    """AZURE_OPENAI_ENDPOINT: selects Azure OpenAI together with AZURE_OPENAI_DEPLOYMENT."""
    azure_openai_deployment: str = ""
    """AZURE_OPENAI_DEPLOYMENT: the model deployment name."""
    azure_openai_api_key: str = field(default="", repr=False)
    """AZURE_OPENAI_API_KEY: empty means managed identity."""
    azure_openai_api_version: str = "2024-10-21"
    """AZURE_OPENAI_API_VERSION: REST API version."""
    openai_api_key: str = field(default="", repr=False)
    """OPENAI_API_KEY: selects OpenAI or an OpenAI-compatible server."""
    openai_base_url: str = ""
    """OPENAI_BASE_URL: an OpenAI-compatible server (vLLM, Ollama, llama.cpp) on a closed network."""
    openai_model: str = "gpt-4o"
    """OPENAI_MODEL: model name for OpenAI-compatible servers."""
    model_timeout_s: float = 60.0
    """MODEL_TIMEOUT_SECONDS: per-request timeout towards the model."""
    model_max_retries: int = 2
    """MODEL_MAX_RETRIES: retries with backoff on 429/5xx before answering with an error."""
    dry_run_pace: bool = False
    """DRY_RUN_PACE: stream the dry-run answer at a realistic pace (load tests, demos)."""
    allowed_tenant_ids: frozenset[str] = frozenset()
    """ALLOWED_TENANT_IDS: comma list; activities from other tenants are refused, nothing stored."""
    admin_aad_object_ids: frozenset[str] = frozenset()
    """ADMIN_AAD_OBJECT_IDS: comma list of Entra object ids allowed to administer (plus the policy's)."""
    quota_monthly_char_limit: int | None = None
    """QUOTA_MONTHLY_CHAR_LIMIT: overrides the policy's organisation cap."""
    quota_user_monthly_char_limit: int | None = None
    """QUOTA_USER_MONTHLY_CHAR_LIMIT: overrides the policy's per-user cap."""
    state_key: str = field(default="", repr=False)
    """BOT_STATE_KEY: base64 32-byte key that encrypts pseudonym tables at rest; generated under
    BOT_DATA_DIR for the embedded default when unset."""
    log_level: str = "INFO"
    """LOG_LEVEL: DEBUG, INFO, WARNING or ERROR."""
    max_body_bytes: int = 256 * 1024
    """MAX_REQUEST_BYTES: larger request bodies are refused with 413."""
    openid_metadata_url: str = ""
    """BOT_OPENID_METADATA_URL: where inbound token signing keys are published (sovereign clouds, tests)."""
    token_issuer: str = ""
    """BOT_TOKEN_ISSUER: expected issuer of inbound tokens when BOT_OPENID_METADATA_URL is set."""
    audit_anchor_file: Path | None = None
    """AUDIT_ANCHOR_FILE: append the chain heads (anchors) to this file periodically and on purge;
    put it where the bot may append but not rewrite (see the README's records section)."""
    audit_anchor_interval_s: int = 3600
    """AUDIT_ANCHOR_INTERVAL_SECONDS: how often the running bot anchors the heads."""
    max_background_turns: int = 400
    """MAX_BACKGROUND_TURNS: message turns running at once in one process; beyond it 503 + Retry-After."""

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
    """Typed, strict accessors over a string mapping."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self._values = values

    def text(self, name: str, default: str = "") -> str:
        return self._values.get(name, default).strip()

    def int(self, name: str, default: int | None, *, minimum: int = 1) -> int | None:
        raw = self.text(name)
        if not raw:
            return default
        try:
            value = int(raw.replace("_", "").replace(",", ""))
        except ValueError:
            raise ConfigError(name, f"must be an integer (got {raw!r})") from None
        if value < minimum:
            raise ConfigError(name, f"must be at least {minimum} (got {value})")
        return value

    def float(self, name: str, default: float) -> float:
        raw = self.text(name)
        if not raw:
            return default
        try:
            value = float(raw)
        except ValueError:
            raise ConfigError(name, f"must be a number of seconds (got {raw!r})") from None
        if value <= 0:
            raise ConfigError(name, f"must be positive (got {raw!r})")
        return value

    def bool(self, name: str, default: bool) -> bool:
        raw = self.text(name).lower()
        if not raw:
            return default
        if raw in {"1", "true", "yes", "on"}:
            return True
        if raw in {"0", "false", "no", "off"}:
            return False
        raise ConfigError(name, f"must be true or false (got {raw!r})")

    def id_set(self, name: str) -> frozenset[str]:
        items = [part.strip() for part in self.text(name).split(",") if part.strip()]
        for item in items:
            if not _GUID.match(item):
                raise ConfigError(name, f"each entry must be a GUID (got {item!r})")
        return frozenset(item.lower() for item in items)

    def url(self, name: str) -> str:
        raw = self.text(name)
        if raw and not re.match(r"^https?://[^\s/]+", raw):
            raise ConfigError(name, f"must be an http(s) URL (got {raw!r})")
        return raw.rstrip("/")


def _parse(env: _Env) -> Settings:
    app_id = env.text("MicrosoftAppId")
    if app_id and not _GUID.match(app_id):
        raise ConfigError(
            "MicrosoftAppId", f"must be the bot's Entra application (client) id GUID (got {app_id!r})"
        )
    app_type = _app_type(env.text("MicrosoftAppType") or AppType.SINGLE_TENANT.value)
    tenant = env.text("MicrosoftAppTenantId")
    if app_id and app_type is not AppType.MULTI_TENANT and not tenant:
        raise ConfigError("MicrosoftAppTenantId", f"is required when MicrosoftAppType is {app_type.value}")
    if app_id and app_type is AppType.SINGLE_TENANT and not env.text("MicrosoftAppPassword"):
        raise ConfigError(
            "MicrosoftAppPassword", "is required for a SingleTenant bot (or use UserAssignedMSI)"
        )
    endpoint = env.url("AZURE_OPENAI_ENDPOINT")
    deployment = env.text("AZURE_OPENAI_DEPLOYMENT")
    if endpoint and not deployment:
        raise ConfigError("AZURE_OPENAI_DEPLOYMENT", "is required when AZURE_OPENAI_ENDPOINT is set")
    if deployment and not endpoint:
        raise ConfigError("AZURE_OPENAI_ENDPOINT", "is required when AZURE_OPENAI_DEPLOYMENT is set")
    prefix = env.text("BOT_TABLE_PREFIX", "bot")
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]{0,40}", prefix):
        raise ConfigError(
            "BOT_TABLE_PREFIX", f"must be letters and digits, starting with a letter (got {prefix!r})"
        )
    level = env.text("LOG_LEVEL", "INFO").upper()
    if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise ConfigError("LOG_LEVEL", f"must be DEBUG, INFO, WARNING or ERROR (got {level!r})")
    return Settings(
        app_id=app_id,
        app_password=env.text("MicrosoftAppPassword"),
        app_type=app_type,
        app_tenant_id=tenant,
        policy=env.text("BOT_POLICY", "iwaki") or "iwaki",
        data_dir=Path(env.text("BOT_DATA_DIR", "data") or "data"),
        tables_connection_string=env.text("AZURE_TABLES_CONNECTION_STRING"),
        tables_endpoint=env.url("AZURE_TABLES_ENDPOINT"),
        table_prefix=prefix,
        azure_openai_endpoint=endpoint,
        azure_openai_deployment=deployment,
        azure_openai_api_key=env.text("AZURE_OPENAI_API_KEY"),
        azure_openai_api_version=env.text("AZURE_OPENAI_API_VERSION", "2024-10-21"),
        openai_api_key=env.text("OPENAI_API_KEY"),
        openai_base_url=env.url("OPENAI_BASE_URL"),
        openai_model=env.text("OPENAI_MODEL", "gpt-4o") or "gpt-4o",
        model_timeout_s=env.float("MODEL_TIMEOUT_SECONDS", 60.0),
        model_max_retries=env.int("MODEL_MAX_RETRIES", 2, minimum=0) or 0,
        dry_run_pace=env.bool("DRY_RUN_PACE", False),
        allowed_tenant_ids=env.id_set("ALLOWED_TENANT_IDS"),
        admin_aad_object_ids=env.id_set("ADMIN_AAD_OBJECT_IDS"),
        quota_monthly_char_limit=env.int("QUOTA_MONTHLY_CHAR_LIMIT", None),
        quota_user_monthly_char_limit=env.int("QUOTA_USER_MONTHLY_CHAR_LIMIT", None),
        state_key=env.text("BOT_STATE_KEY"),
        log_level=level,
        max_body_bytes=env.int("MAX_REQUEST_BYTES", 256 * 1024) or 256 * 1024,
        openid_metadata_url=env.url("BOT_OPENID_METADATA_URL"),
        token_issuer=env.text("BOT_TOKEN_ISSUER"),
        audit_anchor_file=Path(env.text("AUDIT_ANCHOR_FILE")) if env.text("AUDIT_ANCHOR_FILE") else None,
        audit_anchor_interval_s=env.int("AUDIT_ANCHOR_INTERVAL_SECONDS", 3600, minimum=10) or 3600,
        max_background_turns=env.int("MAX_BACKGROUND_TURNS", 400, minimum=1) or 400,
    )


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
