"""What every tests/<app>/test_concurrent_edits.py asks of a refused second save."""

import html
import re

from audit.models import AuditRecord

TOKEN = re.compile(
    r'name="(?P<name>[\w-]*edit_token)"[^>]*value="(?P<value>[0-9a-f]*)"|value="(?P<value2>[0-9a-f]*)"[^>]*name="(?P<name2>[\w-]*edit_token)"'
)


def edit_token(response, name="edit_token") -> str:
    """The hidden edit token named `name` on the page of `response`."""
    assert response.status_code == 200, response.status_code
    for match in TOKEN.finditer(response.content.decode()):
        if (match["name"] or match["name2"]) == name:
            return match["value"] if match["value"] is not None else match["value2"]
    raise AssertionError(f"no {name} on the page")


def audit_count() -> int:
    return AuditRecord.objects.count()


def assert_refused(response, *, typed: str, by: str | None = None, status=(200, 409, 422)) -> None:
    """The save was refused as a conflict: the saved version is shown, what the user
    typed is still in the form, and who changed it meanwhile is named when known."""
    content = html.unescape(response.content.decode())
    assert response.status_code in status, response.status_code
    assert 'data-testid="edit-conflict"' in content
    assert typed in content
    if by is not None:
        assert by in content
