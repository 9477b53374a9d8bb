"""The Chinese catalogue is complete and both catalogues carry the same messages."""

import re
import subprocess
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def msgids(language):
    text = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    return set(re.findall(r'^(?:msgctxt "(.*)"\n)?msgid "(.*(?:\n".*")*)"', text, flags=re.MULTILINE)) - {("", "")}


def test_chinese_catalogue_has_no_untranslated_or_fuzzy_message():
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(LOCALE / "zh_Hans/LC_MESSAGES/django.po")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "untranslated" not in result.stderr
    assert "fuzzy" not in result.stderr


def test_english_and_chinese_catalogues_carry_the_same_messages():
    assert msgids("en") == msgids("zh_Hans")
