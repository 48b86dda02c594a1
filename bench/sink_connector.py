"""A Bot Framework connector for benchmarks: answers like Teams, keeps nothing, counts replies.

Run: python bench/sink_connector.py  (prints its URL; GET /count gives the replies received)
"""

from __future__ import annotations

import asyncio
import itertools

from aiohttp import web


def main() -> None:
    ids = itertools.count(1)
    received = {"n": 0}

    async def activity(request: web.Request) -> web.Response:
        await request.read()
        received["n"] += 1
        return web.json_response({"id": f"act-{next(ids)}"})

    async def create(request: web.Request) -> web.Response:
        await request.read()
        received["n"] += 1
        return web.json_response({"id": f"conv-{next(ids)}", "activityId": f"act-{next(ids)}"})

    async def count(_request: web.Request) -> web.Response:
        return web.json_response(received)

    app = web.Application()
    app.router.add_post("/v3/conversations", create)
    app.router.add_post("/v3/conversations/{cid}/activities", activity)
    app.router.add_post("/v3/conversations/{cid}/activities/{aid}", activity)
    app.router.add_put("/v3/conversations/{cid}/activities/{aid}", activity)
    app.router.add_get("/count", count)

    async def serve() -> None:
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        print(f"http://127.0.0.1:{port}/", flush=True)
        await asyncio.Event().wait()

    asyncio.run(serve())


if __name__ == "__main__":
    main()
