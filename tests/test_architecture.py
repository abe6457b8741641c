"""The import contracts of pyproject.toml cover apps that do not exist yet."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
EXISTING = [
    "config", "api", "cli", "demo", "scorecards", "indicators", "framework", "accounts",
    "core", "integrations", "engines",
]  # fmt: skip


def _lint(tmp_path: Path, imports: dict[str, str]) -> str:
    """Run the project's contracts over a package of empty modules plus `imports`."""
    package = tmp_path / "src" / "welcoming"
    for name in [*EXISTING, "newapp"]:
        (package / name).mkdir(parents=True)
        (package / name / "__init__.py").write_text(imports.get(name, ""))
    (package / "__init__.py").write_text("")
    text = (ROOT / "pyproject.toml").read_text()
    contracts = text[text.index("[tool.importlinter]") :]
    (tmp_path / "pyproject.toml").write_text(contracts[: contracts.index("\n[tool.", 1)])
    done = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path / "src"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout + done.stderr


@pytest.mark.parametrize("importer", ["engines", "core", "accounts"])
def test_a_new_app_is_forbidden_to_engines_core_and_accounts_without_editing_a_contract(
    tmp_path: Path, importer: str
) -> None:
    report = _lint(tmp_path, {importer: "import welcoming.newapp\n"})
    assert "BROKEN" in report and "welcoming.newapp" in report, report


def test_the_package_as_it_stands_keeps_every_contract(tmp_path: Path) -> None:
    report = _lint(tmp_path, {"scorecards": "import welcoming.indicators\n"})
    assert "BROKEN" not in report and "0 broken" in report, report


def test_a_capability_importing_a_sibling_breaks_the_layers(tmp_path: Path) -> None:
    report = _lint(tmp_path, {"indicators": "import welcoming.scorecards\n"})
    assert "BROKEN" in report, report
