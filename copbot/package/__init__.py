"""The Teams app package: manifest.json, the icons and the localization files, checked against
the official schema and Teams' own rules before a zip is written (``copbot package``)."""

from copbot.package.build import (
    MANIFEST_DIR,
    Package,
    PackageValues,
    build_package,
    fill_template,
    write_zip,
)
from copbot.package.problems import PackageProblem, json_path

__all__ = [
    "MANIFEST_DIR",
    "Package",
    "PackageProblem",
    "PackageValues",
    "build_package",
    "fill_template",
    "json_path",
    "write_zip",
]
