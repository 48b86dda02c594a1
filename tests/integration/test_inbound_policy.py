"""Beyond a valid token: only Teams, only our tenant, the actor only from `aadObjectId`; Azure's
setting names; tokens CoP Bot refuses; a bug on the authentication path is not a 401; huge headers.

Tokens are real RS256 JWTs checked by the SDK against our own OpenID metadata and keys
(tests/support/token_issuer.py), configured through the documented settings.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
import structlog
from sqlalchemy import select

import app as composition
from copbot.store.membership_models import JoinRequest
from tests.conftest import ROOT, RunningBot, make_settings
from tests.support.bot_client import ALICE, TENANT, User
from tests.support.credentials import FixedCredentialsFactory
from tests.support.token_issuer import ISSUER, TokenIssuer, new_key

APP_ID = "9f6c1f0e-3b0a-4d8e-9a52-6f1d2b7c4e11"
OVERLAY = ROOT / "catalog" / "local-demo.yaml"
AMINA = User("4f39e9cf-f3b8-41da-92e5-5d8a0203a448", "Amina Wanjiru", "amina@un.org")  # UBS FP
OTHER_TENANT = "0ddba11e-0000-4000-8000-00000000cafe"


@pytest.fixture
def issuer() -> Iterator[TokenIssuer]:
    # Like the Bot Framework's own keys, ours are endorsed for several channels, so a token
    # valid for Direct Line passes the SDK's checks: the channel policy must refuse it.
    issuer = TokenIssuer(APP_ID, keys=[new_key(["msteams", "directline", "webchat"])]).start()
    yield issuer
    issuer.stop()


def production(issuer: TokenIssuer, **names: Any) -> dict[str, Any]:
    """Production settings by their documented names, the endpoints pointing at our issuer."""
    values: dict[str, Any] = {
        "MICROSOFT_APP_ID": APP_ID,
        "MICROSOFT_APP_PASSWORD": "not-used-outbound-is-faked",
        "MICROSOFT_APP_TENANT_ID": TENANT,
        "MICROSOFT_APP_TYPE": "SingleTenant",
        "TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL": issuer.metadata_url,
        "TO_BOT_FROM_CHANNEL_TOKEN_ISSUER": ISSUER,
        "CATALOG_OVERLAY_PATH": str(OVERLAY),
    }
    values.update(names)
    return values


@pytest.fixture
async def secured(bot_factory: Any, issuer: TokenIssuer) -> AsyncIterator[RunningBot]:
    running = await bot_factory(
        credentials_factory=FixedCredentialsFactory(APP_ID), **production(issuer)
    )
    running.client.auth_header = "Bearer " + issuer.token(running.connector.url)
    yield running


async def pending_request(bot: RunningBot) -> str:
    response = await bot.client.submit({"verb": "join", "cop": "UBS", "role": "primary"}, ALICE)
    assert response.status == 201
    async with bot.services.db.session() as session:
        request_id = await session.scalar(
            select(JoinRequest.id).where(JoinRequest.person_id == ALICE.aad_id)
        )
    assert request_id
    return request_id


async def status_of(bot: RunningBot, request_id: str) -> str:
    async with bot.services.db.session() as session:
        return (await session.get(JoinRequest, request_id)).status


def approve_activity(bot: RunningBot, request_id: str, **changes: Any) -> dict[str, Any]:
    activity = bot.client.activity(
        "invoke",
        AMINA,
        name="adaptiveCard/action",
        value={
            "action": {
                "type": "Action.Execute",
                "verb": "membership.approve",
                "data": {"request_id": request_id},
            },
            "trigger": "manual",
        },
    )
    activity.update(changes)
    return activity


async def test_a_forged_approval_from_another_channel_is_refused(secured: RunningBot) -> None:
    request_id = await pending_request(secured)
    # A valid token, but Direct Line, and the focal point's object id typed in as `from.id`.
    forged = approve_activity(
        secured, request_id, channelId="directline", **{"from": {"id": AMINA.aad_id}}
    )
    response = await secured.client.post(forged)
    assert response.status == 403
    assert response.body["error"]["code"] == "ChannelNotAllowed"
    assert await status_of(secured, request_id) == "pending"


async def test_the_actor_is_never_taken_from_from_id(secured: RunningBot) -> None:
    request_id = await pending_request(secured)
    forged = approve_activity(secured, request_id, **{"from": {"id": AMINA.aad_id}})
    response = await secured.client.post(forged)
    assert response.status == 200
    assert response.body["statusCode"] == 401  # Universal Actions: the card shows why
    assert "cannot tell who you are" in response.body["value"]["message"]
    assert await status_of(secured, request_id) == "pending"
    # The real focal point, with her object id where Teams puts it, may decide.
    response = await secured.client.post(approve_activity(secured, request_id))
    assert response.body["type"] == "application/vnd.microsoft.card.adaptive"
    assert await status_of(secured, request_id) == "approved"


async def test_activities_of_another_tenant_are_refused(secured: RunningBot) -> None:
    request_id = await pending_request(secured)
    activity = approve_activity(secured, request_id, channelData={"tenant": {"id": OTHER_TENANT}})
    activity["conversation"]["tenantId"] = OTHER_TENANT
    response = await secured.client.post(activity)
    assert response.status == 403
    assert response.body["error"]["code"] == "TenantNotAllowed"
    no_tenant = approve_activity(secured, request_id, channelData={})
    del no_tenant["conversation"]["tenantId"]
    assert (await secured.client.post(no_tenant)).status == 403
    assert await status_of(secured, request_id) == "pending"


async def test_azure_setting_names_turn_authentication_on(
    bot_factory: Any, issuer: TokenIssuer
) -> None:
    names = production(
        issuer,
        MICROSOFT_APP_ID=None,
        MICROSOFT_APP_PASSWORD=None,
        MICROSOFT_APP_TENANT_ID=None,
        MICROSOFT_APP_TYPE=None,
        MicrosoftAppId=APP_ID,
        MicrosoftAppPassword="secret",
        MicrosoftAppTenantId=TENANT,
        MicrosoftAppType="SingleTenant",
    )
    bot = await bot_factory(credentials_factory=FixedCredentialsFactory(APP_ID), **names)
    assert bot.components.settings.microsoft_app_id == APP_ID
    assert (await bot.client.say("help")).status == 401  # no token: refused
    bot.client.auth_header = "Bearer " + issuer.token(bot.connector.url)
    response = await bot.client.say("help")
    assert response.status == 201 and response.cards


async def test_a_bug_on_the_authentication_path_is_a_500_with_its_traceback(
    secured: RunningBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot import authentication

    def broken(*args: Any, **kwargs: Any) -> None:
        raise TypeError("a bug in our connector cache")

    monkeypatch.setattr(authentication._CachingConnectorFactory, "__init__", broken)
    with structlog.testing.capture_logs() as logs:
        response = await secured.client.say("help")
    assert response.status == 500
    assert response.body["error"]["code"] == "InternalError"
    failed = [e for e in logs if e["event"] == "auth.failed"]
    assert failed and failed[0]["log_level"] == "error" and failed[0].get("exc_info")


async def test_a_64_kb_authorization_header_is_a_4xx_and_not_logged(
    secured: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    marker = "SECRET-TOKEN-CONTENT"
    buffer = io.StringIO()
    composition.configure_logging(make_settings(LOG_LEVEL="DEBUG"), buffer, cache=False)
    try:
        with caplog.at_level(logging.DEBUG):
            big = await secured.client.post(
                secured.client.activity("message", ALICE, text="help"),
                Authorization="Bearer " + marker + "A" * (64 * 1024),
            )
            huge = await secured.client.post(
                secured.client.activity("message", ALICE, text="help"),
                Authorization="Bearer " + marker + "A" * (200 * 1024),
            )
    finally:
        structlog.reset_defaults()
    assert big.status == 431 and big.body["error"]["code"] == "HeaderTooLarge"
    assert 400 <= huge.status < 500
    assert big.replies == [] and huge.replies == []
    logged = buffer.getvalue() + caplog.text + json.dumps([r.getMessage() for r in caplog.records])
    assert marker not in logged and "AAAAAAAA" not in logged
    assert any("content not logged" in r.getMessage() for r in caplog.records)


async def test_every_bot_framework_endpoint_is_a_setting(
    bot_factory: Any, issuer: TokenIssuer, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Black box: inbound metadata and issuer, outbound login URL and scope, all from settings,
    all pointing at doubles on 127.0.0.1 (the outbound one over https, trusted via the standard
    CA-bundle variable); nothing is faked inside the bot."""
    from tests.support.login_double import LoginDouble

    login = LoginDouble(APP_ID, "the-bot-secret", tmp_path).start()
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(login.cert_path))
    try:
        bot = await bot_factory(
            **production(
                issuer,
                MICROSOFT_APP_PASSWORD="the-bot-secret",
                TO_CHANNEL_FROM_BOT_LOGIN_URL=f"{login.base}/{TENANT}",
                TO_CHANNEL_FROM_BOT_OAUTH_SCOPE="https://api.botframework.test",
            )
        )
        bot.client.auth_header = "Bearer " + issuer.token(bot.connector.url)
        response = await bot.client.say("help")
        assert response.status == 201 and response.cards
        assert bot.connector.authorizations[-1] == "Bearer bot-token-1"
        assert login.requests[-1]["scope"] == "https://api.botframework.test/.default"
        assert login.requests[-1]["client_id"] == APP_ID
        assert all(path.startswith(f"/{TENANT}/") for path in login.paths)
    finally:
        login.stop()
