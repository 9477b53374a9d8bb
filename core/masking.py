"""How personal numbers are shown where the reader need not see them whole (PIPL):
a phone as 138****5678, an ID-card number with its first 3 and last 4 characters."""


def mask_phone(value: str) -> str:
    """138****5678 for an 11-digit mobile; the last 4 characters of anything longer than
    4 behind asterisks; short or empty values are hidden entirely."""
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) == 11:
        return f"{value[:3]}****{value[-4:]}"
    if len(value) > 4:
        return "*" * (len(value) - 4) + value[-4:]
    return "*" * len(value)


def mask_id_number(value: str) -> str:
    """110***********1234: the first 3 and last 4 characters of an ID-card number."""
    value = (value or "").strip()
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
