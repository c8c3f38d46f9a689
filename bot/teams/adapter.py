"""The Bot Framework adapter: CloudAdapter configured from Settings, and the turn error handler."""

from __future__ import annotations

import copy
import copyreg
import enum
import logging
import traceback
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, cast

from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity, ResourceResponse
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import AuthenticateRequestResult, AuthenticationConstants, ClaimsIdentity
from botframework.connector.auth.connector_factory import ConnectorFactory
from botframework.connector.auth.user_token_client import UserTokenClient
from msrest.serialization import Model, Serializer

from bot.core.config import Settings
from bot.core.errors import StorageError
from bot.core.policy import Policy
from bot.teams.connector import ConnectorTransport, PooledConnectors
from bot.teams.streaming import deliver
from bot.ui import common as texts

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _AuthConfig:
    """The attribute names ConfigurationBotFrameworkAuthentication reads."""

    APP_ID: str
    APP_PASSWORD: str
    APP_TYPE: str
    APP_TENANTID: str
    TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL: str | None
    TO_BOT_FROM_CHANNEL_TOKEN_ISSUER: str | None


def speed_up_msrest() -> None:
    """Work around an msrest cost botbuilder pays several times per turn.

    CloudAdapter builds a fresh connector client and user-token client for every turn, and each
    msrest `Configuration` builds a `ClientRetryPolicy`, whose __init__ tests 999 status codes for
    membership in the class-level LIST `safe_codes` (500 items): about 3 ms of CPU each time, a
    third of the bot's CPU under load (py-spy, tests/benchmarks/bench_pipeline.py). Only `in` is
    ever applied to it, so a frozenset gives the same retry codes in microseconds.
    """
    from msrest.universal_http.requests import ClientRetryPolicy  # noqa: PLC0415

    if not isinstance(ClientRetryPolicy.safe_codes, frozenset):
        ClientRetryPolicy.safe_codes = frozenset(ClientRetryPolicy.safe_codes)  # type: ignore[assignment]


def copy_activities_by_walk() -> None:
    """Give botbuilder's `TurnContext.send_activities` a deep copy that walks the schema models.

    Every activity a turn sends is deep-copied first (the caller's object is left as it was), and
    `copy.deepcopy` reaches each model through `__reduce_ex__`, a state dict and its generic
    dispatch: 55–85 µs for the final answer, 30 for a typing update. `walk_deepcopy` builds the same
    copy (new models, lists and dicts, shared objects shared once, every other value copied by
    copy.deepcopy itself) in a fraction of that; tests/teams/test_adapter_bodies.py compares both."""
    from botbuilder.core import turn_context  # noqa: PLC0415

    turn_context.deepcopy = walk_deepcopy  # its one use: send_activities


_ATOMS = frozenset({str, int, float, bool, type(None)})
_NOTHING = object()
_WALKED: dict[type, bool] = {}


def _walked(kind: type) -> bool:
    """True when copy.deepcopy would copy a `kind` as `kind.__new__(kind)` with a deep copy of its
    __dict__: a schema model with no copy hook of its own (checked once per class)."""
    known = _WALKED.get(kind)
    if known is None:
        known = (
            issubclass(kind, Model)
            and kind.__new__ is object.__new__
            and kind not in copyreg.dispatch_table
            and getattr(kind, "__deepcopy__", None) is None
            and kind.__reduce_ex__ is object.__reduce_ex__
            and kind.__reduce__ is object.__reduce__
            and kind.__getstate__ is object.__getstate__
            and getattr(kind, "__setstate__", None) is None
            and not any("__slots__" in vars(base) for base in kind.__mro__)
        )
        _WALKED[kind] = known
    return known


def walk_deepcopy(value: Any, memo: dict[int, Any] | None = None) -> Any:
    """`copy.deepcopy(value, memo)`, walking lists, dicts and schema models itself."""
    kind = type(value)
    if kind in _ATOMS:
        return value
    if memo is None:
        memo = {}
    found = memo.get(id(value), _NOTHING)
    if found is not _NOTHING:
        return found
    if kind is list:
        items: list[Any] = []
        memo[id(value)] = items
        items.extend(walk_deepcopy(v, memo) for v in value)
        return items
    if kind is dict:
        mapping: dict[Any, Any] = {}
        memo[id(value)] = mapping
        for k, v in value.items():
            mapping[walk_deepcopy(k, memo)] = walk_deepcopy(v, memo)
        return mapping
    if _walked(kind):
        model = object.__new__(kind)  # copyreg.__newobj__: kind.__new__(kind), which is object's
        memo[id(value)] = model
        model.__dict__.update({k: walk_deepcopy(v, memo) for k, v in value.__dict__.items()})
        return model
    return copy.deepcopy(value, memo)


class OneTripBodies:
    """The connector client's msrest serializer, writing an outgoing Activity in one pass.

    msrest's `Serializer.body` first deserializes the model it is given (in case it is a dict),
    then validates it, then serializes it: three walks over every attribute of the activity and
    its entities, attachments and accounts, several times a turn (the informative update, the
    streamed updates, the final message). For an `Activity` object (always what botbuilder passes)
    the first walk gives back the same objects and Activity declares nothing to validate, so the
    JSON is the serialize walk's alone, and that walk is written out here for the values activities
    hold (msrest's generic walk cost about 0.3 ms per activity; tests/teams/test_adapter_bodies.py
    compares the two on the activities the bot sends). Anything else goes to msrest as before.
    """

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def body(self, data: Any, data_type: str, **kwargs: Any) -> Any:
        """The request body for `data`."""
        if data_type == "Activity" and type(data) is Activity and not kwargs:
            try:
                return self._model(data)
            except _Unusual:
                return self._inner._serialize(data, data_type)
        return self._inner.body(data, data_type, **kwargs)

    def _model(self, obj: Model) -> dict[str, Any]:
        """msrest's serialize walk over a model's attribute map, with the cases the bot's activities
        use written out (strings, flags, lists, plain JSON objects, nested models); anything else
        goes to msrest's own serializer for that value, and a flattened key (a.b) to msrest whole."""
        out: dict[str, Any] = {}
        validation = obj._validation
        for attr, desc in obj._attribute_map.items():
            if validation and validation.get(attr, {}).get("readonly", False):
                continue
            key = desc["key"]
            if attr == "additional_properties" and key == "":
                extra = obj.additional_properties
                if extra is not None:
                    out.update(extra)
                continue
            value = getattr(obj, attr)
            if value is None:
                continue  # msrest leaves out an attribute with no value
            if "." in key:
                raise _Unusual
            out[key] = self._value(value, desc["type"])
        return out

    def _value(self, value: Any, data_type: str) -> Any:
        kind = type(value)
        if data_type == "str" and kind is str:
            return value
        if data_type in _BASIC and kind is _BASIC[data_type]:
            return value
        if data_type == "object" and kind in _PLAIN:
            return _plain(value, self._inner)
        if data_type.startswith("[") and data_type.endswith("]") and kind is list:
            item = data_type[1:-1]
            return [None if v is None else self._value(v, item) for v in value]
        if isinstance(value, Model) and data_type in self._inner.dependencies:
            dependency = self._inner.dependencies[data_type]
            if not (isinstance(dependency, type) and issubclass(dependency, enum.Enum)):
                return self._model(value)
        return self._inner.serialize_data(value, data_type)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class _Unusual(Exception):
    """An activity the one-pass writer leaves to msrest (a flattened key)."""


_BASIC: dict[str, type] = {"bool": bool, "int": int, "float": float}
_PLAIN = frozenset({dict, list, str, int, float, bool})


def _plain(value: Any, inner: Any) -> Any:
    """msrest's serialize_object for a plain JSON tree (a fresh copy; other values to msrest)."""
    kind = type(value)
    if kind is dict:
        return {
            (k if type(k) is str else inner.serialize_unicode(k)): _plain(v, inner) for k, v in value.items()
        }
    if kind is list:
        return [_plain(v, inner) for v in value]
    if kind in (str, int, float, bool) or value is None:
        return value
    return inner.serialize_object(value)


_WRITERS: dict[type[Model], OneTripBodies] = {}


def model_json(model: Model) -> dict[str, Any]:
    """`model.serialize()` by the one-pass walk (a conversation reference: 11 instead of 128 µs);
    msrest's own serializer builds the same JSON (tests/teams/test_adapter_bodies.py)."""
    kind = type(model)
    writer = _WRITERS.get(kind)
    if writer is None:
        writer = _WRITERS[kind] = OneTripBodies(Serializer(kind._infer_class_models()))
    try:
        return writer._model(model)
    except _Unusual:
        return cast(dict[str, Any], model.serialize())


def one_trip_bodies(connector_client: Any) -> None:
    """Give a connector client's conversation operations the one-pass serializer (idempotent)."""
    operations = getattr(connector_client, "conversations", None)
    serializer = getattr(operations, "_serialize", None)
    if serializer is not None and not isinstance(serializer, OneTripBodies):
        operations._serialize = OneTripBodies(serializer)  # type: ignore[union-attr]


def _app_id_of(claims_identity: ClaimsIdentity) -> str:
    """The bot's app id a turn's claims name (the audience from a channel, the app id claim otherwise)."""
    app_id = claims_identity.get_claim_value(AuthenticationConstants.AUDIENCE_CLAIM)
    if app_id is None:
        app_id = claims_identity.get_claim_value(AuthenticationConstants.APP_ID_CLAIM)
    return str(app_id or "")


class OneTokenClient(ConfigurationBotFrameworkAuthentication):
    """The bot's authentication, with clients built once instead of once per turn.

    - CloudAdapter asks for a user-token client on every turn, and each one builds two msrest
      clients and configurations (about a tenth of a turn's CPU); the bot never signs users in,
      and the client keeps nothing but the app's credentials (which cache and refresh their own
      token), so one per app id serves every turn.
    - Connector clients come from a pool on the process's kept-alive transport
      (bot.teams.connector), for the turns the front door authenticated and for the
      conversations the bot starts or continues itself."""

    def __init__(self, configuration: Any, transport: ConnectorTransport) -> None:
        super().__init__(configuration)
        self._user_token_clients: dict[str, UserTokenClient] = {}
        self._transport = transport
        self._connectors: OrderedDict[tuple[str, str, str], ConnectorClient] = OrderedDict()

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        """The user-token client for the app id the turn's claims name (built on first use)."""
        key = _app_id_of(claims_identity)
        client = self._user_token_clients.get(key)
        if client is None:
            client = await super().create_user_token_client(claims_identity)
            self._user_token_clients[key] = client
        return client

    async def authenticate_request(self, activity: Activity, auth_header: str) -> AuthenticateRequestResult:
        """botbuilder's authentication of the request, its connector factory pooled."""
        result = await super().authenticate_request(activity, auth_header)
        if result.connector_factory is not None:
            result.connector_factory = self._pooled(result.connector_factory, result.claims_identity)
        return result

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        """The connector factory for messages the bot sends on its own (pooled the same way)."""
        return self._pooled(super().create_connector_factory(claims_identity), claims_identity)

    def _pooled(self, inner: ConnectorFactory, claims_identity: ClaimsIdentity) -> PooledConnectors:
        return PooledConnectors(inner, _app_id_of(claims_identity), self._transport, self._connectors)


class TeamsAdapter(CloudAdapter):
    """CloudAdapter whose outgoing activities follow Teams' rules (retries, stream fallbacks)."""

    async def send_activities(
        self, context: TurnContext, activities: list[Activity]
    ) -> list[ResourceResponse]:
        """Send each activity through `deliver` (429/5xx retried, a refused final stream not lost)."""
        one_trip_bodies(context.turn_state.get(self.BOT_CONNECTOR_CLIENT_KEY))
        responses: list[ResourceResponse] = []

        async def send(activity: Activity) -> list[ResourceResponse]:
            return await super(TeamsAdapter, self).send_activities(context, [activity])

        async def update(activity: Activity) -> ResourceResponse:
            return await super(TeamsAdapter, self).update_activity(context, activity)

        for activity in activities:
            sent = await deliver(send, update, activity)
            responses.extend(sent if isinstance(sent, list) else [sent])
        return responses


def create_adapter(settings: Settings, policy: Policy, transport: ConnectorTransport) -> CloudAdapter:
    """A CloudAdapter authenticating with the bot's identity from the settings, sending on `transport`."""
    speed_up_msrest()
    copy_activities_by_walk()
    config = _AuthConfig(
        APP_ID=settings.app_id,
        APP_PASSWORD=settings.app_password,
        # anonymous local development: only the MultiTenant factory accepts an empty app id
        APP_TYPE=settings.app_type.value if settings.app_id else "MultiTenant",
        APP_TENANTID=settings.app_tenant_id,
        TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL=settings.openid_metadata_url or None,
        TO_BOT_FROM_CHANNEL_TOKEN_ISSUER=settings.token_issuer or None,
    )
    adapter = TeamsAdapter(OneTokenClient(config, transport))

    async def on_error(context: TurnContext, error: Exception) -> None:
        # Never log the exception message: it may echo user text. Type and turn are enough to find it.
        where = "".join(traceback.format_tb(error.__traceback__)[-3:])
        log.error("turn failed: %s in %s activity\n%s", type(error).__name__, context.activity.type, where)
        if context.activity.type != "message":
            return
        text = (
            texts.storage_unavailable(policy)
            if isinstance(error, StorageError)
            else texts.unexpected_error(policy)
        )
        try:
            await context.send_activity(text)
        except Exception:
            log.warning("could not tell the user about the failure")

    adapter.on_turn_error = on_error
    return adapter
