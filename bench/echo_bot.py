"""The baseline of bench/load.py: a minimal echo bot on the same stack as CoP Bot.

    python bench/echo_bot.py PORT           # our adapter: aiohttp outbound, cached clients
    python bench/echo_bot.py PORT --stock   # the SDK as shipped (requests in threads)

The first is the baseline of the ratio (same stack, no CoP Bot logic); the second shows what the
stack changes in bot/ bring.
"""

from __future__ import annotations

import asyncio
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiohttp import web
from botbuilder.core import ActivityHandler, TurnContext
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)
from botbuilder.schema import Activity


class Config:
    APP_ID = ""
    APP_PASSWORD = ""
    APP_TYPE = "MultiTenant"


class EchoBot(ActivityHandler):
    async def on_message_activity(self, turn_context: TurnContext) -> None:
        await turn_context.send_activity(f"echo: {turn_context.activity.text}")


def main() -> None:
    port, stock = int(sys.argv[1]), "--stock" in sys.argv
    if stock:
        adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(Config()))
    else:  # imported only here: bot/ patches the SDK's dependencies on import (sdk_patches)
        from bot.adapter import AdapterConfig, build_adapter

        adapter = build_adapter(AdapterConfig(APP_TYPE="MultiTenant"))
    bot = EchoBot()

    async def messages(request: web.Request) -> web.Response:
        activity = Activity().deserialize(await request.json())
        response = await adapter.process_activity(
            request.headers.get("Authorization", ""), activity, bot.on_turn
        )
        if response:
            return web.json_response(response.body, status=response.status)
        return web.Response(status=201)

    async def same_thread_pool_as_copbot(_app: web.Application) -> None:
        asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(max_workers=64))

    app = web.Application()
    app.on_startup.append(same_thread_pool_as_copbot)
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", lambda _r: web.json_response({"status": "alive"}))
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


if __name__ == "__main__":
    main()
