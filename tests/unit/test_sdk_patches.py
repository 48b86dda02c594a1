"""The msrest patch keeps the retry policy the SDK had (only faster to build)."""

from msrest.universal_http.requests import ClientRetryPolicy

import bot.sdk_patches  # noqa: F401


def test_retry_policy_is_unchanged_by_the_patch() -> None:
    policy = ClientRetryPolicy().policy
    original_safe = [i for i in range(500) if i != 408] + [501, 505]
    assert policy.status_forcelist == [i for i in range(999) if i not in original_safe]
    assert 503 in policy.status_forcelist and 429 not in policy.status_forcelist
    assert 408 in policy.status_forcelist and 501 not in policy.status_forcelist
