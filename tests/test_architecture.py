"""The layer contracts of ARCHITECTURE.md hold, and import-linter catches a back import.

Each probe copies the package's Python files to a temporary folder, adds one module that
imports the wrong way and runs ``lint-imports`` there: the probe must break the contract
named, while the real tree keeps every contract.
"""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
CONTRACTS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"][
    "contracts"
]


def lint_imports(root: Path, *contracts: str) -> subprocess.CompletedProcess:
    args = [str(LINT_IMPORTS), "--no-cache", "--no-logo"]
    for contract in contracts:
        args += ["--contract", contract]
    return subprocess.run(args, cwd=root, capture_output=True, text=True, env={"PATH": ""})


@pytest.fixture(scope="module")
def tree_copy(tmp_path_factory):
    """Return a function that copies the package and adds one module to the copy."""

    def copy(module: str, source: str) -> Path:
        root = tmp_path_factory.mktemp("tree")
        shutil.copytree(
            ROOT / "bouwplaats",
            root / "bouwplaats",
            ignore=lambda folder, names: [
                name
                for name in names
                if not name.endswith(".py")
                and not (Path(folder) / name).is_dir()
                or name in {"__pycache__", "static", "templates", "locale", "migrations"}
            ],
        )
        shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
        (root / (module.replace(".", "/") + ".py")).write_text(source)
        return root

    return copy


def test_the_real_tree_keeps_every_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, "Broken import contracts:\n" + result.stdout[-3000:]


@pytest.mark.parametrize(
    ("module", "source", "contract"),
    [
        # core is the bottom layer: it never imports an app.
        ("bouwplaats.core._backimport_probe", "import bouwplaats.events.models\n", "layers"),
        # accounts never imports programmes (programmes is above it).
        (
            "bouwplaats.accounts._backimport_probe",
            "from bouwplaats.programmes import models\n",
            "layers",
        ),
        # The apps on top of events are independent of each other.
        ("bouwplaats.spaces._backimport_probe", "import bouwplaats.newsletters.models\n", "layers"),
        # Planning needs only core, accounts and programmes.
        ("bouwplaats.planning._backimport_probe", "import bouwplaats.events.models\n", "planning"),
        # Only an app's services import its tasks: not its views, not another app's services.
        ("bouwplaats.events._tasks_probe", "from bouwplaats.events import tasks\n", "tasks-events"),
        (
            "bouwplaats.newsletters._tasks_probe",
            "import bouwplaats.events.tasks\n",
            "tasks-events",
        ),
    ],
)
def test_a_wrong_import_breaks_its_contract(tree_copy, module, source, contract):
    result = lint_imports(tree_copy(module, source), contract)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{module} -> " in result.stdout, result.stdout


def test_a_task_importing_its_services_breaks_the_cycle_contract(tree_copy):
    root = tree_copy("bouwplaats.newsletters._unused", "")
    tasks = root / "bouwplaats/newsletters/tasks.py"
    tasks.write_text(tasks.read_text() + "\nfrom . import services  # noqa: E402,F401\n")
    result = lint_imports(root, "tasks-no-cycle")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "bouwplaats.newsletters.tasks -> bouwplaats.newsletters.services" in result.stdout


def test_every_tasks_module_has_its_protected_contract():
    protected = {
        name
        for contract in CONTRACTS
        if contract["type"] == "protected"
        for name in contract["protected_modules"]
    }
    tasks = {
        f"bouwplaats.{path.parent.name}.tasks" for path in (ROOT / "bouwplaats").glob("*/tasks.py")
    }
    assert tasks <= protected, f"add a protected contract for {sorted(tasks - protected)}"
