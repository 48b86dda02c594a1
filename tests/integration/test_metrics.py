"""/metrics speaks Prometheus and counts what operators watch."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import RunningBot


async def scrape(bot: RunningBot) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    async with bot.client.session.get(f"{bot.base_url}/metrics") as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain")
        text = await response.text()
    samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


async def test_turns_are_counted_by_type_and_outcome(bot: RunningBot) -> None:
    await bot.client.say("help")
    await bot.client.say("communities")
    await bot.client.post(b"{broken")
    samples = await scrape(bot)
    assert samples[("copbot_turns_total", (("outcome", "ok"), ("type", "message")))] == 2
    assert samples[("copbot_turns_total", (("outcome", "400"), ("type", "invalid")))] == 1
    assert samples[("copbot_turn_seconds_count", (("type", "message"),))] == 2


async def test_directory_calls_are_counted_with_their_outcome(bot: RunningBot) -> None:
    directory = bot.services.directory
    await directory.add_member("local:UBS", "p1")
    await directory.add_member("local:UBS", "p1")
    samples = await scrape(bot)
    assert (
        samples[
            ("copbot_directory_calls_total", (("operation", "add_member"), ("outcome", "added")))
        ]
        == 1
    )
    assert (
        samples[
            (
                "copbot_directory_calls_total",
                (("operation", "add_member"), ("outcome", "already_member")),
            )
        ]
        == 1
    )
