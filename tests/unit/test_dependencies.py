"""Every package the product imports is declared in pyproject.toml, and requirements.lock pins what
pyproject.toml pins (so `make install` from the lock installs what pyproject says)."""

from __future__ import annotations

import ast
import importlib.util
import re
import sys
import tomllib
from functools import cache
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ["bot", "cards", "copbot", "graph", "scheduler", "cli", "app.py", "settings.py"]
OWN = {"bot", "cards", "copbot", "graph", "scheduler", "cli", "app", "settings"}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(requirement: str) -> str:
    match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
    assert match, requirement
    return _normal(match.group(0))


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _imports() -> dict[str, set[str]]:
    """Absolute imports of the product code: dotted module name -> files importing it."""
    found: dict[str, set[str]] = {}
    for root in PRODUCT:
        path = ROOT / root
        for file in [path] if path.is_file() else sorted(path.rglob("*.py")):
            for node in ast.walk(ast.parse(file.read_text(), str(file))):
                names: list[str] = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                for name in names:
                    top = name.split(".")[0]
                    if top not in OWN and top not in sys.stdlib_module_names:
                        found.setdefault(name, set()).add(str(file.relative_to(ROOT)))
    return found


@cache
def _top_level() -> dict[str, list[str]]:
    return metadata.packages_distributions()


def _origin(module: str) -> Path | None:
    """The file of ``module``, or of its deepest parent that has one (namespaces have none)."""
    parts = module.split(".")
    for depth in range(len(parts), 1, -1):
        try:
            spec = importlib.util.find_spec(".".join(parts[:depth]))
        except ImportError:
            continue
        if spec is not None and spec.origin and spec.origin not in {"built-in", "frozen"}:
            return Path(spec.origin).resolve()
    return None


def _distribution_of(module: str) -> set[str]:
    """The distributions that ship ``module``. A namespace package (``azure``, shipped by several)
    is told apart by where its second part lives (``azure.core`` vs ``azure.identity``)."""
    parts = module.split(".")
    owners = {_normal(name) for name in _top_level().get(parts[0], [])}
    if len(owners) <= 1 or len(parts) < 2:
        return owners
    origin = _origin(module)
    for name in owners:
        dist = metadata.distribution(name)
        if any((dist.locate_file(file)).resolve() == origin for file in dist.files or []):
            return {name}
    return set()


def test_every_imported_package_is_a_declared_runtime_dependency() -> None:
    declared = {_requirement_name(r) for r in _pyproject()["project"]["dependencies"]}
    undeclared = []
    for module, files in sorted(_imports().items()):
        owners = _distribution_of(module)
        assert owners, f"{module} (imported by {sorted(files)}) is not installed"
        if not owners & declared:
            undeclared.append(f"{module} from {'/'.join(sorted(owners))} ({sorted(files)[0]})")
    assert not undeclared, (
        "imported but not in [project] dependencies of pyproject.toml (add it, then `make lock`): "
        + "; ".join(undeclared)
    )


def _locked() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        match = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", line)
        if match:
            pins[_normal(match.group(1))] = match.group(2)
    return pins


def test_the_lock_pins_what_pyproject_pins_and_every_pin_has_hashes() -> None:
    project = _pyproject()["project"]
    wanted = list(project["dependencies"]) + list(project["optional-dependencies"]["dev"])
    locked = _locked()
    stale = []
    for requirement in wanted:
        name = _requirement_name(requirement)
        version = requirement.split("==", 1)[1].split(";")[0].strip()
        if locked.get(name) != version:
            stale.append(f"{name}: pyproject {version}, lock {locked.get(name, 'absent')}")
    assert not stale, "requirements.lock is stale, run `make lock`: " + "; ".join(stale)

    text = (ROOT / "requirements.lock").read_text()
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])
    unhashed = [e.split()[0] for e in entries if e.strip() and "--hash=sha256:" not in e]
    assert not unhashed, f"pinned without a hash: {unhashed}"


def test_the_guard_tells_namespace_packages_apart_and_sees_the_sdk_imports() -> None:
    assert _distribution_of("pytest") & {"pytest"}
    assert _distribution_of("azure.identity.aio") == {"azure-identity"}
    assert _distribution_of("azure.core.credentials") == {"azure-core"}
    assert "msrest" in {m.split(".")[0] for m in _imports()}
