"""The administrative divisions of GB/T 2260 in force, as python-stdnum ships them
(stdnum/cn/loc.dat, kept up to date with the national list by its maintainers; each
name carries the years it was in force). A code checked here exists today: 130199 does
not, 130503 is 信都区 since 2020, 130682 is 定州市."""

import re
from functools import lru_cache
from importlib import resources

# "[1983-2019]桥东区,[2020-]襄都区": the last period is the one in force when it is open.
_PERIOD = re.compile(r"\[(\d{4})-(\d{4})?\]([^,]*)")


def _current_name(value: str) -> str | None:
    periods = _PERIOD.findall(value)
    if not periods:
        return value or None  # no years: in force (a province, a prefecture)
    _start, end, name = periods[-1]
    return None if end else name


@lru_cache(maxsize=1)
def current_divisions() -> dict[str, str]:
    """Every code in force, with its name: {"130102": "长安区", …}."""
    divisions = {}
    province = ""
    text = resources.files("stdnum.cn").joinpath("loc.dat").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, _space, attributes = line.strip().partition(" ")
        value = re.search(r'(?:province|county)="([^"]*)"', attributes)
        if value is None:
            continue
        if not line.startswith(" "):
            province = code
            divisions[f"{code}0000"] = value.group(1)
            continue
        name = _current_name(value.group(1))
        if name is not None:
            divisions[f"{province}{code}"] = name
    return divisions


def is_current(code: str) -> bool:
    return code in current_divisions()


def name_of(code: str) -> str:
    return current_divisions().get(code, "")


def lies_within(code: str, area: str) -> bool:
    """Whether division `code` lies within division `area` (a province holds its
    prefectures and counties, a prefecture its counties, a county itself)."""
    if area.endswith("0000"):
        return code[:2] == area[:2]
    if area.endswith("00"):
        return code[:4] == area[:4]
    return code == area
