"""Small, documented fixes to the Bot Framework SDK's dependencies, applied once at import.

msrest (the SDK's HTTP layer, archived upstream) builds its retry policy for every connector
client, and the SDK creates two clients per turn. `ClientRetryPolicy.__init__` computes
`[i for i in range(999) if i not in self.safe_codes]` with `safe_codes` a 500-item *list*: about
500,000 comparisons, 3 ms, twice per turn (measured: 6 of a turn's 15 ms). A frozenset with the
same members gives the same policy in microseconds.

msrest encodes every request body with `json.dumps`; a card reply is a few kilobytes of nested
JSON, and orjson encodes it about ten times faster (to UTF-8 bytes, with their length as the
Content-Length; msrest counted characters, right only for ASCII).
"""

from __future__ import annotations

from typing import Any

import orjson
from msrest.universal_http import ClientRequest
from msrest.universal_http.requests import ClientRetryPolicy

from bot.sdk_versions import require

require(__name__, "msrest")


_msrest_add_content = ClientRequest.add_content


def _add_json_content(self: ClientRequest, data: Any) -> None:
    if isinstance(data, dict | list):
        try:
            self.data = orjson.dumps(data)
        except TypeError:  # what orjson does not take (keys that are not strings): msrest's way
            pass
        else:
            self.headers["Content-Length"] = str(len(self.data))
            return
    _msrest_add_content(self, data)


def apply() -> None:
    # The two ignores: assigning to the SDK's class attributes is the patch itself (typeshed-less
    # msrest types them as declared); bot/sdk_versions.py pins the versions it was written for.
    if not isinstance(ClientRetryPolicy.safe_codes, frozenset):
        ClientRetryPolicy.safe_codes = frozenset(ClientRetryPolicy.safe_codes)  # type: ignore[assignment]
    if ClientRequest.add_content is _msrest_add_content:
        ClientRequest.add_content = _add_json_content  # type: ignore[method-assign]


apply()


class CardContent(dict[str, Any]):
    """An Adaptive Card as the bot sends it: plain JSON, built fresh for each message.

    The SDK deep-copies every outgoing activity (TurnContext.send_activities) and msrest walks
    every node of an attachment's content to serialise it; for a card of a few hundred nodes that
    was half the cost of a turn. Copying it is pointless (nobody mutates a sent card) and it is
    already JSON: `FastBodySerializer` puts it into the body as it is.
    """

    def __deepcopy__(self, memo: dict[int, object]) -> CardContent:
        return self

    def __copy__(self) -> CardContent:
        return self
