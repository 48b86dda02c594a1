"""`make run`: CoP Bot in local mode with the Microsoft 365 Agents Playground, one command.

Starts the bot on 127.0.0.1:3978 (SQLite under data/, memberships in its own database, the demo
overlay catalog/local-demo.yaml), the Playground on 127.0.0.1:56150, and prints the URL to open.
Ctrl-C stops both. Options: --locale fr-FR|es-ES (the Playground itself always says en-US; a small
proxy rewrites it), --bot-port, --playground-port.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLAYGROUND = ROOT / "tools" / "playground"


def wait_for(url: str, process: subprocess.Popen[bytes], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(
                f"{what} stopped before it was ready (exit code {process.returncode}); see above."
            )
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own localhost URL
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    sys.exit(f"{what} did not answer at {url} within {timeout:.0f} s")


def start(command: list[str], env: dict[str, str], cwd: Path = ROOT) -> subprocess.Popen[bytes]:
    # A process group of its own, so stopping it stops its children (npm -> node) too.
    return subprocess.Popen(command, env=env, cwd=cwd, start_new_session=True)


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not leave orphans
    for process in reversed(processes):
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in reversed(processes):
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--locale", default=os.environ.get("COPBOT_LOCALE", "en-US"))
    parser.add_argument("--bot-port", type=int, default=3978)
    parser.add_argument("--playground-port", type=int, default=56150)
    args = parser.parse_args()

    env = dict(os.environ)
    env.setdefault("CATALOG_OVERLAY_PATH", str(ROOT / "catalog" / "local-demo.yaml"))
    env.setdefault("PUBLIC_BASE_URL", f"http://127.0.0.1:{args.bot_port}")
    env["TEAMSAPPTESTER_BROWSER"] = "none"
    bin_dir = Path(sys.executable).parent
    processes: list[subprocess.Popen[bytes]] = []
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        bot = start([str(bin_dir / "copbot"), "serve", "--port", str(args.bot_port)], env)
        processes.append(bot)
        wait_for(f"http://127.0.0.1:{args.bot_port}/healthz", bot, "The bot")
        endpoint = f"http://127.0.0.1:{args.bot_port}/api/messages"
        if args.locale != "en-US":
            proxy_port = args.bot_port + 1
            proxy = start(
                [
                    sys.executable,
                    str(PLAYGROUND / "locale_proxy.py"),
                    "--target",
                    endpoint,
                    "--locale",
                    args.locale,
                    "--port",
                    str(proxy_port),
                ],
                env,
            )
            processes.append(proxy)
            endpoint = f"http://127.0.0.1:{proxy_port}/api/messages"
        env["COPBOT_BOT_ENDPOINT"] = endpoint
        env["COPBOT_PLAYGROUND_PORT"] = str(args.playground_port)
        playground = start(
            ["npm", "--prefix", str(PLAYGROUND), "start", "--silent"], env, PLAYGROUND
        )
        processes.append(playground)
        wait_for(
            f"http://127.0.0.1:{args.playground_port}/_debug/ping", playground, "The Playground"
        )
        print(
            f"\n  CoP Bot is running in local mode ({args.locale}).\n"
            f"  Open http://127.0.0.1:{args.playground_port} in your browser and say hello.\n"
            "  You are Amina Wanjiru, focal point of Urban Basic Services (UBS) in this demo.\n"
            "  Press Ctrl-C to stop.\n",
            flush=True,
        )
        while all(p.poll() is None for p in processes):
            time.sleep(0.5)
        print("A process stopped; stopping the others.", file=sys.stderr)
    except KeyboardInterrupt:
        print("\nStopping CoP Bot and the Playground...", file=sys.stderr)
    finally:
        stop(processes)


if __name__ == "__main__":
    main()
