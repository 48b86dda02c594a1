"""Fixtures for end-to-end tests through the Microsoft 365 Agents Playground.

- `playground_pool` (session): Playground processes, started on first use, one per setup.
- `playground`: the default setup's Playground (UN-Habitat staff, Amina Wanjiru current user,
  team "Urban Basic Services CoP"), reset for this test: no bot connected, locale en-US,
  records cleared. Call `playground.connect(bot_url)` before opening a chat.
- `make_playground(setup=None, **fields)`: the same for another `PlaygroundSetup` (another current
  user, locale, time zone...). Locale alone needs no new process.
- `browser`: headless Chromium (fresh profile) for this test.
- `chat`: a `PlaygroundPage` on `playground`; `new_chat(server)` opens more pages (one per
  Playground). On failure, artifacts are saved under build/e2e-artifacts/<test>/ and listed.

COPBOT_E2E_ARTIFACTS=always saves the artifacts of passing tests too.

Without node, the npm install or Chromium, the e2e tests skip; with CI=true (or
COPBOT_E2E_REQUIRED=1) that is a failure instead.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import BrowserContext

from tests.e2e.harness import (
    PlaygroundPage,
    PlaygroundPool,
    PlaygroundServer,
    launch_browser,
    missing_prerequisites,
)
from tools.playground.playground_config import PlaygroundSetup

_E2E_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _E2E_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)


def _failed(request: pytest.FixtureRequest) -> bool:
    rep = getattr(request.node, "rep_call", None)
    return rep is None or rep.failed  # None: setup failed


@pytest.fixture(scope="session")
def playground_pool(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PlaygroundPool]:
    missing = missing_prerequisites()
    if missing:
        msg = "e2e prerequisites missing: " + "; ".join(missing)
        if (
            os.environ.get("COPBOT_E2E_REQUIRED") == "1"
            or os.environ.get("CI", "").lower() == "true"
        ):
            pytest.fail(msg)
        pytest.skip(msg)
    pool = PlaygroundPool(tmp_path_factory.mktemp("playgrounds"))
    yield pool
    pool.stop_all()


@pytest.fixture
def make_playground(
    playground_pool: PlaygroundPool,
) -> Iterator[Callable[..., PlaygroundServer]]:
    used: list[PlaygroundServer] = []

    def make(setup: PlaygroundSetup | None = None, **fields) -> PlaygroundServer:
        pg = playground_pool.get(setup or PlaygroundSetup(**fields))
        used.append(pg)
        return pg

    yield make
    for pg in used:
        pg.reset()


@pytest.fixture
def playground(make_playground: Callable[..., PlaygroundServer]) -> PlaygroundServer:
    return make_playground(PlaygroundSetup())


@pytest_asyncio.fixture
async def browser(playground_pool: PlaygroundPool) -> AsyncIterator[BrowserContext]:
    async with launch_browser() as context:
        yield context


@pytest_asyncio.fixture
async def new_chat(
    browser: BrowserContext, request: pytest.FixtureRequest
) -> AsyncIterator[Callable[[PlaygroundServer], Awaitable[PlaygroundPage]]]:
    pages: list[PlaygroundPage] = []

    async def open_page(server: PlaygroundServer) -> PlaygroundPage:
        page = await PlaygroundPage.create(browser, server)
        pages.append(page)
        return page

    yield open_page
    if _failed(request) or os.environ.get("COPBOT_E2E_ARTIFACTS") == "always":
        for i, page in enumerate(pages):
            paths = await page.save_artifacts(f"{request.node.nodeid}-{i}")
            print(f"\ne2e artifacts for {request.node.nodeid} (page {i}):")
            for p in paths:
                print(f"  {p}")
    for page in pages:
        await page.close()


@pytest_asyncio.fixture
async def chat(
    new_chat: Callable[[PlaygroundServer], Awaitable[PlaygroundPage]],
    playground: PlaygroundServer,
) -> PlaygroundPage:
    return await new_chat(playground)


@pytest_asyncio.fixture
async def copbot(
    playground: PlaygroundServer, tmp_path: Path
) -> AsyncIterator[tuple[PlaygroundServer, object]]:
    """CoP Bot itself (local mode, the demo overlay, SQLite) connected to the default Playground.

    Yields (playground, components) — components give tests the services (clock, db...).
    """
    import app as composition
    from tests.conftest import ROOT, make_settings
    from tests.e2e.harness import serve_app

    settings = make_settings(
        DATABASE_URL=f"sqlite:///{tmp_path / 'e2e.sqlite3'}",
        CATALOG_OVERLAY_PATH=str(ROOT / "catalog" / "local-demo.yaml"),
    )
    components = composition.build_components(settings)
    async with serve_app(composition.create_web_app(components)) as base_url:
        playground.connect(f"{base_url}/api/messages")
        yield playground, components
