"""`welcoming match`: a rich summary, exit codes, no traceback on bad input."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from welcoming.connections.models import Match, MatchRun

from .workflow_people import agency

pytestmark = pytest.mark.django_db


def test_match_prints_the_summary_and_the_reasons() -> None:
    sample = agency()
    sample.newcomer()
    sample.newcomer(languages=[("som", 4)])
    sample.host()
    out = StringIO()
    call_command("match", "--program", str(sample.program.pk), stdout=out)
    text = out.getvalue()
    assert "Proposals" in text and "Blocking pairs" in text
    assert "No screened host within 25 km speaks Somali." in text
    assert Match.objects.count() == 1
    assert MatchRun.objects.get().actor.username == "operator"


def test_a_dry_run_proposes_nothing() -> None:
    sample = agency()
    sample.newcomer()
    sample.host()
    out = StringIO()
    call_command(
        "match", "--program", str(sample.program.pk), "--solver", "stable", "--dry-run", stdout=out
    )
    assert "Dry run" in out.getvalue()
    assert not Match.objects.exists()


@pytest.mark.parametrize("program", ["999999", "abc"])
def test_an_unknown_program_is_a_clear_error_with_exit_code_2(program: str) -> None:
    with pytest.raises(CommandError, match="No program has the number") as error:
        call_command("match", "--program", program)
    assert error.value.returncode == 2
