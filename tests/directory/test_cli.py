"""`welcoming directory import|export-hsds`: reports, and clear errors without a traceback."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.directory.conftest import FIXTURES
from welcoming.directory.hsds.schema import validate
from welcoming.directory.models import Service

pytestmark = pytest.mark.django_db


def _run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("directory", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_prints_what_it_did_and_why(operator) -> None:
    out, _err = _run("import", str(FIXTURES / "airs_synthetic.xml"))
    assert "import run" in out and "Klingish" in out and "no longer" not in out
    assert Service.objects.count() == 3


def test_a_dry_run_and_a_named_source(operator) -> None:
    out, _err = _run("import", str(FIXTURES / "airs_synthetic.xml"), "--dry-run", "--source", "x")
    assert "Dry run of source x" in out and not Service.objects.exists()


def test_strict_refuses_and_says_why(operator) -> None:
    with pytest.raises(CommandError, match="nothing was imported"):
        _run("import", str(FIXTURES / "airs_synthetic.xml"), "--strict")
    assert not Service.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [("<not xml", "not well-formed XML"), ("{broken", "not JSON"), ("plain text", "Cannot tell")],
)
def test_unreadable_files_are_refused_clearly(operator, tmp_path: Path, content, message) -> None:
    path = tmp_path / "feed.dat"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        _run("import", str(path))


def test_a_missing_file(operator, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="does not exist"):
        _run("import", str(tmp_path / "nothing.json"))


def test_export_writes_json_and_the_tabular_package(operator, tmp_path: Path) -> None:
    _run("import", str(FIXTURES / "airs_synthetic.xml"))
    out, _err = _run("export-hsds", str(tmp_path), "--plain")
    assert "3 services" in out
    data = json.loads((tmp_path / "directory.json").read_text(encoding="utf-8"))
    assert all(validate("service", s, strict=True) == [] for s in data["services"])
    header = (tmp_path / "services.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("id,organization_id,program_id,name")
    assert (tmp_path / "datapackage.json").exists()


def test_export_into_a_file_is_refused(operator, tmp_path: Path) -> None:
    target = tmp_path / "file.txt"
    target.write_text("x", encoding="utf-8")
    with pytest.raises(CommandError, match="is a file"):
        _run("export-hsds", str(target))
