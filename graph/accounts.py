"""``GraphAccounts``: the domain's `copbot.directory.Accounts` on Microsoft Graph.

``GET /users/{id}?$select=id,accountEnabled`` for each user, 20 per ``$batch`` [User.Read.All]:
``accountEnabled`` false = disabled; 404 ``Request_ResourceNotFound`` = deleted
(https://learn.microsoft.com/graph/api/user-get, https://learn.microsoft.com/graph/json-batching).
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

import structlog

from copbot.directory import AccountState

from .batch import raise_for_item
from .calls import GraphCalls

log = structlog.get_logger(__name__)

READ_USERS = "User.Read.All"
BATCH = 20


class GraphAccounts(GraphCalls):
    async def account_states(self, user_ids: Sequence[str]) -> dict[str, AccountState]:
        unique = list(dict.fromkeys(u for u in user_ids if u))
        states: dict[str, AccountState] = {}
        what = "read the state of accounts"
        async with self.refusals(what, READ_USERS):
            for start in range(0, len(unique), BATCH):
                chunk = unique[start : start + BATCH]
                requests = [
                    {
                        "id": str(i),
                        "method": "GET",
                        "url": f"/users/{quote(user_id, safe='')}?$select=id,accountEnabled",
                    }
                    for i, user_id in enumerate(chunk)
                ]
                results = await self.batch(requests, what)
                for i, user_id in enumerate(chunk):
                    result = results[str(i)]
                    if result.status == 404:
                        states[user_id] = AccountState.DELETED
                    elif result.status == 200 and isinstance(result.body, dict):
                        enabled = result.body.get("accountEnabled") is not False
                        states[user_id] = AccountState.ENABLED if enabled else AccountState.DISABLED
                    else:
                        raise_for_item(result, what, READ_USERS)
        counts = {state: sum(1 for s in states.values() if s is state) for state in AccountState}
        log.info(
            "graph.accounts_read", requested=len(unique), **{str(k): v for k, v in counts.items()}
        )
        return states


__all__ = ["GraphAccounts"]
