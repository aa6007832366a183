"""Every audit action code used in the code reads as Dutch in the audit log."""

import ast
import pathlib
import re

import pytest

import bouwplaats
from bouwplaats.accounts.models import OrganisationMembership
from bouwplaats.core import audit
from bouwplaats.programmes import services as programme_services

ROOT = pathlib.Path(bouwplaats.__file__).parent
CODE = re.compile(rf"^({'|'.join(audit._APPS)})\.[a-z_]+\.[a-z_]+$")


def _written_codes() -> set[str]:
    """Return every string constant in the code shaped like an action code."""
    codes = set()
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                codes.update([node.value] if CODE.match(node.value) else [])
    return codes


def _composed_codes() -> set[str]:
    """Return the codes the services compose from parts (f-strings)."""
    codes = {f"accounts.membership.{status}" for status in OrganisationMembership.Status.values}
    items = [
        v for v in vars(programme_services).values() if isinstance(v, programme_services._TeamItem)
    ]
    assert items
    codes.update(
        f"programmes.{item.word}.{verb}"
        for item in items
        for verb in ("created", "updated", "deleted")
    )
    return codes


def test_the_scan_sees_codes_written_over_several_lines():
    assert "events.session.facilitation_accepted" in _written_codes()
    assert "planning.work.created" in _written_codes()


@pytest.mark.parametrize("code", sorted(_written_codes() | _composed_codes()))
def test_every_action_code_has_a_dutch_label(code):
    assert str(audit.action_label(code)) != code
