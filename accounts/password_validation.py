"""Password rules of a 等保 2.0 level-3 system, beside Django's own validators (length,
common passwords, all digits): see AUTH_PASSWORD_VALIDATORS in config/settings.py.

ASVS 2.1 advises against composition rules; 等保 assessors expect them, so they are
here (three of the four classes), while the length cap is generous (64)."""

import functools
import itertools
import re
import secrets
import string
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

CLASSES = (
    lambda character: character in string.ascii_uppercase,
    lambda character: character in string.ascii_lowercase,
    lambda character: character.isdigit(),
    lambda character: not character.isalnum(),
)


def character_classes(password: str) -> int:
    """How many of upper-case letters, lower-case letters, digits and symbols appear."""
    return sum(1 for belongs in CLASSES if any(belongs(character) for character in password))


class CharacterClassesValidator:
    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if character_classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return _(
            "Use at least %(count)d of these four: capital letters, small letters, digits and symbols (such as ! # -)."
        ) % {"count": self.min_classes}


class MaximumLengthValidator:
    def __init__(self, max_length: int = 64):
        self.max_length = max_length

    def validate(self, password, user=None):
        if len(password) > self.max_length:
            raise ValidationError(self.get_help_text(), code="password_too_long")

    def get_help_text(self):
        return ngettext(
            "Your password can have at most %(max)d character.",
            "Your password can have at most %(max)d characters.",
            self.max_length,
        ) % {"max": self.max_length}


class UsernameNotContainedValidator:
    """Stricter than Django's similarity check: the user name may not appear in the
    password at all, whatever the case (from three characters up)."""

    def validate(self, password, user=None):
        username = (getattr(user, "username", "") or "").strip().lower()
        if len(username) >= 3 and username in password.lower():
            raise ValidationError(self.get_help_text(), code="password_contains_username")

    def get_help_text(self):
        return _("Your password cannot contain your user name.")


class PasswordHistoryValidator:
    """Not the current password nor one of the `history` before it. Django calls
    password_changed() when a user's new password is saved: the hash is kept then."""

    def __init__(self, history: int = 5):
        self.history = history

    def _former_hashes(self, user) -> list[str]:
        from accounts.models import PasswordHistory

        return list(
            PasswordHistory.objects.filter(user=user)
            .order_by("-created_at", "-pk")
            .values_list("password", flat=True)[: self.history + 1]
        )

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        from django.contrib.auth.hashers import check_password

        # The current hash too: users made before the history began have no row yet.
        hashes = [user.password, *self._former_hashes(user)] if user.password else self._former_hashes(user)
        if any(check_password(password, hashed) for hashed in hashes):
            raise ValidationError(self.get_help_text(), code="password_reused")

    def password_changed(self, password, user=None):
        from accounts.models import PasswordHistory

        if user is None or user.pk is None or not user.password:
            return
        PasswordHistory.objects.create(user=user, password=user.password)
        stale = PasswordHistory.objects.filter(user=user).order_by("-created_at", "-pk").values_list("pk", flat=True)
        # The current password is the newest row: keep it and the `history` before it.
        PasswordHistory.objects.filter(pk__in=list(stale[self.history + 1 :])).delete()

    def get_help_text(self):
        return ngettext(
            "Your password cannot be your current one or the one before it.",
            "Your password cannot be your current one or one of the %(count)d before it.",
            self.history,
        ) % {"count": self.history}


# Keyboard rows and columns people walk along, either way: qwer, asdf, zxcv, 1qaz2wsx
# (columns downwards), zaq1xsw2 (columns upwards).
KEYBOARD_LINES = (
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "qazwsxedcrfvtgbyhnujmikolp",
    "zaqxswcdevfrbgtnhymjukilop",
    "1234567890",
)
MIN_WALK = 3
# Look-alike characters people put for letters (Passw0rd, H@ppy, 5unshine); 1 reads as i or l.
LEET = str.maketrans({"0": "o", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
ONE_AS = ("i", "l")
# Digit runs that add nothing to a few letters: a year, a repeated or sequential run, or
# the numbers people choose (520 我爱你, 1314 一生一世, 888, 666).
COMMON_DIGITS = {"520", "521", "1314", "5201314", "888", "8888", "666", "6666", "168", "518", "147258", "159357"}
SHORT_CORE = 3
SHORT_SYMBOLS = 2
WORD_LIST = Path(__file__).with_name("weak_passwords.txt")


@functools.cache
def weak_words() -> frozenset[str]:
    """The words of accounts/weak_passwords.txt and every keyboard walk of MIN_WALK or more
    keys along KEYBOARD_LINES, either way."""
    words = {
        line.strip().lower()
        for line in WORD_LIST.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    for line in KEYBOARD_LINES:
        for text in (line, line[::-1]):
            for start in range(len(text)):
                for end in range(start + MIN_WALK, len(text) + 1):
                    words.add(text[start:end])
    return frozenset(words)


def _readings(password: str) -> set[str]:
    """What a guesser's rules make of `password`: lower case; the part between leading and
    trailing digits and symbols; look-alikes read as letters (1 as i and as l), before and
    after that; and of each, its letters alone."""
    lower = password.lower()
    core = _strip_ends(lower)
    forms = {lower, core}
    for letter in ONE_AS:
        forms.add(_look_alikes(core, letter))
        forms.add(_strip_ends(_look_alikes(lower, letter)))
    readings = forms | {re.sub(r"[^a-z]", "", form) for form in forms}
    readings.discard("")
    return readings


def _strip_ends(text: str) -> str:
    return re.sub(r"^[^a-z]+|[^a-z]+$", "", text)


def _look_alikes(text: str, one: str) -> str:
    return text.translate(LEET).replace("1", one)


def _simple_digits(digits: str) -> bool:
    if not digits or len(digits) <= 4 or digits in COMMON_DIGITS or len(set(digits)) == 1:
        return True
    if re.fullmatch(r"(19|20)\d\d", digits) or digits[: len(digits) // 2] * 2 == digits:
        return True
    steps = {int(b) - int(a) for a, b in itertools.pairwise(digits)}
    return steps in ({1}, {-1}, {-9, 1}, {9, -1})


def is_pattern_password(password: str) -> bool:
    """Whether `password` is a known weak word, name, brand, pinyin phrase or keyboard walk
    dressed up with digits, symbols and look-alike letters (Admin@123, Passw0rd!,
    Huawei@2024, woaini1314, 1qaz2wsx), or a few letters in front of a simple run of
    digits (Aa123456!)."""
    words = weak_words()
    lower = password.lower()
    if any(reading in words for reading in _readings(password)):
        return True
    letters = re.sub(r"[^a-z]", "", lower)
    symbols = re.sub(r"[a-z0-9]", "", lower)
    return len(letters) <= SHORT_CORE and len(symbols) <= SHORT_SYMBOLS and _simple_digits(re.sub(r"\D", "", lower))


class PatternPasswordValidator:
    """Refuses is_pattern_password(): the guesses an attacker tries first, beyond Django's
    list of 20,000 common passwords (which misses Admin@123 and Huawei@123)."""

    def validate(self, password, user=None):
        if is_pattern_password(password):
            raise ValidationError(self.get_help_text(), code="password_pattern")

    def get_help_text(self):
        return _(
            "This password is too easy to guess: a common word, name, brand, pinyin or keyboard pattern with "
            "digits or symbols added. Choose a harder one, such as a phrase of several unrelated words."
        )


def next_change_allowed_at(user) -> datetime | None:
    """When `user` may change its own password again, or None when it may now: not sooner
    than settings.PASSWORD_MIN_AGE_HOURS after its last own change, so that quick changes
    cannot cycle through the history back to the old password. A forced change (a
    password someone else set, an expired one) is never held back."""
    from security.selectors import password_change_reason

    hours = settings.PASSWORD_MIN_AGE_HOURS
    if hours <= 0 or user.password_changed_at is None:
        return None
    if user.must_change_password or password_change_reason(user) is not None:
        return None
    allowed_at = user.password_changed_at + timedelta(hours=hours)
    return allowed_at if allowed_at > timezone.now() else None


def check_password_age(user) -> None:
    """Raise ValidationError (code password_too_recent), saying when the next change is
    possible, while next_change_allowed_at(user) lies ahead."""
    allowed_at = next_change_allowed_at(user)
    if allowed_at is None:
        return
    raise ValidationError(
        _("You changed your password less than %(hours)s hours ago. You can change it again from %(time)s."),
        code="password_too_recent",
        params={
            "hours": settings.PASSWORD_MIN_AGE_HOURS,
            "time": timezone.localtime(allowed_at).strftime("%Y-%m-%d %H:%M"),
        },
    )


INITIAL_PASSWORD_LENGTH = 12
INITIAL_PASSWORD_ALPHABET = string.ascii_letters + string.digits


def initial_password() -> str:
    """A random password of letters and digits with capitals, small letters and digits
    all present: the three classes the password rules ask for. Handed over once (an
    imported operator, a reset, an expert's new login); the owner changes it at sign-in."""
    while True:
        password = "".join(secrets.choice(INITIAL_PASSWORD_ALPHABET) for _ in range(INITIAL_PASSWORD_LENGTH))
        if character_classes(password) >= 3:
            return password
