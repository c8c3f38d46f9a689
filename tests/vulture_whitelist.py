"""Names vulture cannot see being used (read by tests/test_quality.py::test_no_dead_code, never run).

Each entry says who uses the name. Route handlers registered with `@router.verb(...)` and the like are
not listed: `[tool.vulture] ignore_decorators` in pyproject.toml covers them. Anything else vulture
reports is dead: delete it rather than adding it here.
"""

from vulture.whitelist_utils import Whitelist

_ = Whitelist()

# Called by frameworks and libraries, not by our code
_.handle_starttag  # html.parser.HTMLParser (bot/core/knowledge/documents.py)
_.handle_endtag  # html.parser.HTMLParser
_.handle_data  # html.parser.HTMLParser
_.on_turn_error  # botbuilder calls the adapter's error handler (bot/teams/adapter.py)
_.claims_identity  # read by botbuilder's CloudAdapter when continuing a turn (bot/teams/serial.py)
_.APP_ID  # read by botbuilder's ConfigurationBotFrameworkAuthentication (bot/teams/adapter.py)
_.APP_PASSWORD
_.APP_TYPE
_.APP_TENANTID
_.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL
_.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER
_.at_type  # msrest serialises the AI-generated entity's attributes (bot/teams/entities.py)
_.at_context
_.additional_type
_.compress_type  # zipfile.ZipInfo fields of the app package (bot/ui/manifest/build.py)
_.external_attr

# Looked up by name: `setting(..., "seconds")` parses with `_Env.seconds` (bot/core/config.py)
_.seconds
_.optional_path
_.USER_ASSIGNED_MSI  # an AppType value, chosen from MicrosoftAppType

# Fields of records and parsed formats: written, serialised or compared as a whole
_.unique_id  # an attached file's SharePoint id (bot/core/attachments/files.py)
_.screening_action  # audit record columns (bot/core/audit/record.py)
_.latency_ms
_.activity_type  # the turn's activity type, in its records (bot/core/turn.py)
_.bit_depth  # PNG IHDR (bot/ui/manifest/png.py)
_.removed  # what a knowledge refresh did (bot/core/knowledge/service.py)

# Public API used by the tests, the benchmarks or the documented operations only
_.TableAnchorSink  # the anchor sink for a separate storage account (README: 記録の控え)
_.began  # TurnRecorder state, checked by tests/audit and tests/reliability
_.env_names  # every variable the settings read (tests/test_config.py, tests/infra: app settings)
_.passage_count  # tests/benchmarks/bench_knowledge.py
_.screen_output  # block-class findings of a model answer (tests/screening/test_outputs.py)
_.masked_kinds  # tests/screening/test_pseudonyms.py
_.resident_code_ok  # check digits with their own tests (tests/screening/test_checkdigits.py)
_.insurer_number_ok
_.TEAMS_ADMIN_ONLY  # the knowledge feature's pending Teams registration (bot/teams/features/knowledge.py)
_.token_features  # the name model's features as training builds them (tests/screening/learn.py)
