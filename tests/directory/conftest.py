"""Fixtures of the directory tests: the official HSDS examples and synthetic feeds."""

import json
from pathlib import Path
from typing import Any

import pytest

from welcoming.accounts.models import User
from welcoming.accounts.services import operator_user

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "welcoming" / "data" / "hsds" / "examples"


@pytest.fixture
def operator(db: None) -> User:
    return operator_user()


def example(name: str) -> Any:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
