"""Who may talk to the bot: real JWT validation against our own OpenID metadata and keys.

With an app id set, only activities carrying a valid Bot Framework token are processed; every
kind of bad token is a 401 (never a 500) and the bot does not act on the activity.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from tests.conftest import RunningBot
from tests.support.bot_client import ALICE
from tests.support.credentials import OUTBOUND_TOKEN, FixedCredentialsFactory
from tests.support.token_issuer import ISSUER, TokenIssuer, new_key

APP_ID = "9f6c1f0e-3b0a-4d8e-9a52-6f1d2b7c4e11"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"


@pytest.fixture
def issuer() -> Iterator[TokenIssuer]:
    issuer = TokenIssuer(APP_ID).start()
    yield issuer
    issuer.stop()


@pytest.fixture
async def secured(bot_factory: Any, issuer: TokenIssuer) -> AsyncIterator[RunningBot]:
    running = await bot_factory(
        MICROSOFT_APP_ID=APP_ID,
        MICROSOFT_APP_PASSWORD="not-used-outbound-is-faked",
        MICROSOFT_APP_TENANT_ID=TENANT,
        MICROSOFT_APP_TYPE="SingleTenant",
        credentials_factory=FixedCredentialsFactory(APP_ID),
        adapter_overrides={
            "TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL": issuer.metadata_url,
            "TO_BOT_FROM_CHANNEL_TOKEN_ISSUER": ISSUER,
        },
    )
    yield running


async def send_help(bot: RunningBot, authorization: str | None) -> Any:
    activity = bot.client.activity("message", ALICE, text="help")
    headers = {"Authorization": authorization} if authorization is not None else {}
    return await bot.client.post(activity, **headers)


async def test_a_valid_token_is_accepted_and_replies_carry_our_credentials(
    secured: RunningBot, issuer: TokenIssuer
) -> None:
    token = issuer.token(secured.connector.url)
    response = await send_help(secured, f"Bearer {token}")
    assert response.status == 201
    assert response.cards and "What I can do" in str(response.cards[0])
    assert secured.connector.authorizations[-1] == f"Bearer {OUTBOUND_TOKEN}"


def _bad_tokens(issuer: TokenIssuer, service_url: str) -> dict[str, str | None]:
    stranger = new_key()
    not_for_teams = new_key(endorsements=["webchat"])
    issuer.keys.append(not_for_teams)
    return {
        "missing": None,
        "empty": "",
        "not bearer": "Basic dXNlcjpwYXNz",
        "garbage": "Bearer not.a.jwt",
        "expired": "Bearer " + issuer.token(service_url, expires_in=-3600),
        "no expiry": "Bearer " + issuer.token(service_url, expires_in=None),
        "wrong audience": "Bearer " + issuer.token(service_url, audience="someone-else"),
        "wrong issuer": "Bearer " + issuer.token(service_url, issuer="https://evil.example"),
        "no issuer": "Bearer " + issuer.token(service_url, issuer=None),
        "bad signature": "Bearer "
        + issuer.token(service_url, key=stranger, kid=issuer.keys[0].kid),
        "unknown key": "Bearer " + issuer.token(service_url, key=stranger),
        "channel not endorsed": "Bearer " + issuer.token(service_url, key=not_for_teams),
        "serviceUrl mismatch": "Bearer " + issuer.token("https://smba.trafficmanager.net/evil/"),
    }


CASES = [
    "missing",
    "empty",
    "not bearer",
    "garbage",
    "expired",
    "no expiry",
    "wrong audience",
    "wrong issuer",
    "no issuer",
    "bad signature",
    "unknown key",
    "channel not endorsed",
    "serviceUrl mismatch",
]


@pytest.mark.parametrize("case", CASES)
async def test_every_bad_token_is_a_401_and_nothing_happens(
    secured: RunningBot, issuer: TokenIssuer, case: str
) -> None:
    authorization = _bad_tokens(issuer, secured.connector.url)[case]
    response = await send_help(secured, authorization)
    assert response.status == 401, (case, response.body)
    assert response.body["error"]["code"] == "Unauthorized"
    assert response.replies == []  # the bot did not act
    from copbot.store import people

    assert await people.get_person(secured.services.db, ALICE.aad_id) is None


async def test_a_bad_token_does_not_stop_the_next_good_one(
    secured: RunningBot, issuer: TokenIssuer
) -> None:
    assert (await send_help(secured, "Bearer junk")).status == 401
    response = await send_help(secured, "Bearer " + issuer.token(secured.connector.url))
    assert response.status == 201 and response.cards


async def test_the_key_set_is_fetched_once_not_per_request(
    secured: RunningBot, issuer: TokenIssuer
) -> None:
    for _ in range(3):
        token = issuer.token(secured.connector.url)
        assert (await send_help(secured, f"Bearer {token}")).status == 201
    assert issuer.metadata_fetches == 1
