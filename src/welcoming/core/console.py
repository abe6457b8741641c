"""Rich output for management commands, written through Django's own stdout/stderr wrappers."""

from typing import IO, cast

from django.core.management.base import OutputWrapper
from rich.console import Console


def console_for(stream: OutputWrapper) -> Console:
    """A rich console on a command's stream, so call_command(stdout=...) captures it in tests."""
    return Console(file=cast(IO[str], stream), width=120)
