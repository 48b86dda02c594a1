"""Every setting CoP Bot reads, from the environment or an optional `.env` file.

Only the composition root (`app.py`, and `cli.py` through it) builds a `Settings`; everything else
receives plain values. Each field is documented in README.md (Configuration).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph.credential_kind import CredentialKind

if TYPE_CHECKING:
    from graph.credential import CredentialConfig

PROJECT_ROOT = Path(__file__).resolve().parent


class DirectoryMode(StrEnum):
    LOCAL = "local"
    GRAPH = "graph"


class LogFormat(StrEnum):
    JSON = "json"
    CONSOLE = "console"


@dataclass(frozen=True)
class BotFrameworkCloud:
    """Where Bot Framework tokens come from (inbound) and where the bot gets its own (outbound)."""

    openid_metadata_url: str
    token_issuer: str
    login_url: str  # a prefix the tenant id is appended to, or a whole authority URL
    oauth_scope: str


# https://learn.microsoft.com/en-us/azure/bot-service/rest-api/bot-framework-rest-connector-authentication
PUBLIC_CLOUD = BotFrameworkCloud(
    openid_metadata_url="https://login.botframework.com/v1/.well-known/openidconfiguration",
    token_issuer="https://api.botframework.com",  # noqa: S106 (an issuer URL, not a secret)
    login_url="https://login.microsoftonline.com/",
    oauth_scope="https://api.botframework.com",
)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    # Bot Framework identity. No app id = local mode: inbound requests are not authenticated.
    # Azure's own names (what an Azure Bot / App Service configuration sets) are accepted too.
    microsoft_app_id: str = Field(
        "", validation_alias=AliasChoices("MICROSOFT_APP_ID", "MicrosoftAppId")
    )
    microsoft_app_password: SecretStr = Field(
        SecretStr(""),
        validation_alias=AliasChoices("MICROSOFT_APP_PASSWORD", "MicrosoftAppPassword"),
    )
    microsoft_app_tenant_id: str = Field(
        "", validation_alias=AliasChoices("MICROSOFT_APP_TENANT_ID", "MicrosoftAppTenantId")
    )
    microsoft_app_type: str = Field(
        "SingleTenant", validation_alias=AliasChoices("MICROSOFT_APP_TYPE", "MicrosoftAppType")
    )
    # Serving without authentication anywhere but on loopback needs this said out loud.
    allow_unauthenticated: bool = Field(False, alias="ALLOW_UNAUTHENTICATED")

    # Bot Framework endpoints (the SDK's own setting names); the defaults are the public cloud.
    # National clouds (GCC High, DoD, China) use others: see docs/deploy.md.
    bot_openid_metadata_url: str = Field(
        PUBLIC_CLOUD.openid_metadata_url, alias="TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL"
    )
    bot_token_issuer: str = Field(
        PUBLIC_CLOUD.token_issuer, alias="TO_BOT_FROM_CHANNEL_TOKEN_ISSUER"
    )
    bot_login_url: str = Field(PUBLIC_CLOUD.login_url, alias="TO_CHANNEL_FROM_BOT_LOGIN_URL")
    bot_oauth_scope: str = Field(PUBLIC_CLOUD.oauth_scope, alias="TO_CHANNEL_FROM_BOT_OAUTH_SCOPE")

    database_url: str = Field("", alias="DATABASE_URL")
    directory_mode: DirectoryMode = Field(DirectoryMode.LOCAL, alias="DIRECTORY_MODE")
    graph_base_url: str = Field("https://graph.microsoft.com/v1.0", alias="GRAPH_BASE_URL")
    login_authority_host: str = Field(
        "https://login.microsoftonline.com", alias="LOGIN_AUTHORITY_HOST"
    )
    # Graph's credential (graph/credential.py): auto, secret, certificate, managed_identity or
    # workload_identity. The app registration defaults to the bot's own (MICROSOFT_APP_ID,
    # MICROSOFT_APP_PASSWORD); on Azure a managed identity needs no secret at all.
    graph_credential: CredentialKind = Field(CredentialKind.AUTO, alias="GRAPH_CREDENTIAL")
    graph_client_id: str = Field("", alias="GRAPH_CLIENT_ID")
    graph_client_secret: SecretStr = Field(SecretStr(""), alias="GRAPH_CLIENT_SECRET")
    graph_client_certificate_path: str = Field("", alias="GRAPH_CLIENT_CERTIFICATE_PATH")
    graph_client_certificate_password: SecretStr = Field(
        SecretStr(""), alias="GRAPH_CLIENT_CERTIFICATE_PASSWORD"
    )
    graph_managed_identity_client_id: str = Field("", alias="GRAPH_MANAGED_IDENTITY_CLIENT_ID")
    azure_federated_token_file: str = Field("", alias="AZURE_FEDERATED_TOKEN_FILE")

    catalog_path: Path = Field(PROJECT_ROOT / "catalog" / "communities.yaml", alias="CATALOG_PATH")
    catalog_overlay_path: Path | None = Field(None, alias="CATALOG_OVERLAY_PATH")

    host: str = Field("127.0.0.1", alias="HOST")
    port: int = Field(3978, alias="PORT", ge=1, le=65535)
    public_base_url: str = Field("http://127.0.0.1:3978", alias="PUBLIC_BASE_URL")

    # Personal data no longer needed is purged daily after this many days (0: never).
    retention_days: int = Field(365, alias="RETENTION_DAYS", ge=0)
    audit_retention_days: int = Field(730, alias="AUDIT_RETENTION_DAYS", ge=0)

    log_level: str = Field("INFO", alias="LOG_LEVEL")
    log_format: LogFormat = Field(LogFormat.CONSOLE, alias="LOG_FORMAT")

    # Comma-separated Entra object ids of people who may decide any request and see reports.
    admin_ids: str = Field("", alias="ADMIN_IDS")
    skills_profile_url: str = Field("", alias="SKILLS_PROFILE_URL")
    # Join requests left pending: recalled to the focal points, then escalated to the admins.
    request_reminder_days: float = Field(3, alias="REQUEST_REMINDER_DAYS", gt=0, le=365)
    request_escalation_days: float = Field(7, alias="REQUEST_ESCALATION_DAYS", gt=0, le=365)

    # The directory sync (Graph mode): CoP groups' membership read every this many hours (0: only
    # `copbot sync`), every member's account checked every this many days.
    directory_sync_hours: float = Field(24, alias="DIRECTORY_SYNC_HOURS", ge=0, le=24 * 30)
    account_check_days: float = Field(7, alias="ACCOUNT_CHECK_DAYS", gt=0, le=365)
    # Reaching people who never opened the bot: install the app for them through Graph (needs
    # the application permission TeamsAppInstallation.ReadWriteSelfForUser.All). The catalog id
    # is found from the manifest id (TEAMS_APP_ID, default MICROSOFT_APP_ID), or set.
    proactive_install: bool = Field(False, alias="PROACTIVE_INSTALL")
    teams_app_id: str = Field("", alias="TEAMS_APP_ID")
    teams_app_catalog_id: str = Field("", alias="TEAMS_APP_CATALOG_ID")

    # CoP meetings: when the bot posts, and how often it looks for posts that are due.
    meetings_announce_days: float = Field(7, alias="MEETINGS_ANNOUNCE_DAYS", ge=0, le=60)
    meetings_digest_hours: float = Field(24, alias="MEETINGS_DIGEST_HOURS", ge=0, le=24 * 14)
    meetings_day_reminder: bool = Field(False, alias="MEETINGS_DAY_REMINDER")
    meetings_tick_seconds: float = Field(60, alias="MEETINGS_TICK_SECONDS", ge=1, le=3600)

    # Proactive sends per second this instance allows itself (Teams: about 50 per app per
    # tenant, shared by all instances: with N instances, about 50 / N).
    teams_sends_per_second: int = Field(50, alias="TEAMS_SENDS_PER_SECOND", ge=1, le=50)

    @field_validator("public_base_url", "graph_base_url", "login_authority_host")
    @classmethod
    def _no_trailing_slash(cls, v: str) -> str:
        return v.rstrip("/")

    @property
    def local_mode(self) -> bool:
        return not self.microsoft_app_id

    @property
    def admin_id_list(self) -> list[str]:
        return [a.strip() for a in self.admin_ids.split(",") if a.strip()]

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return normalise_database_url(self.database_url)
        return f"sqlite+aiosqlite:///{PROJECT_ROOT / 'data' / 'copbot.sqlite3'}"

    def graph_credential_config(self) -> CredentialConfig:
        """Which credential Graph's token comes from (graph/credential.py: GRAPH_CREDENTIAL)."""
        from graph.credential import CredentialConfig

        graph_secret = self.graph_client_secret.get_secret_value()
        bot_identity = self.microsoft_app_id
        return CredentialConfig(
            kind=self.graph_credential,
            tenant_id=self.microsoft_app_tenant_id,
            client_id=self.graph_client_id or self.microsoft_app_id,
            client_secret=graph_secret or self.microsoft_app_password.get_secret_value(),
            secret_setting="GRAPH_CLIENT_SECRET" if graph_secret else "MICROSOFT_APP_PASSWORD",
            certificate_path=self.graph_client_certificate_path,
            certificate_password=self.graph_client_certificate_password.get_secret_value(),
            # A bot that is itself a user-assigned managed identity (MICROSOFT_APP_TYPE) lends it
            # to Graph unless another is named: a deployment with no secret at all.
            managed_identity_client_id=self.graph_managed_identity_client_id
            or (bot_identity if self.microsoft_app_type.lower() == "userassignedmsi" else ""),
            federated_token_file=self.azure_federated_token_file,
            authority_host=self.login_authority_host,
        )


def normalise_database_url(url: str) -> str:
    """Accept the URLs people paste (postgres://, postgresql://, sqlite://) and pick async drivers."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    if url.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + url[len("sqlite:///") :]
    return url
