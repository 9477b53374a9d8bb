"""A picture of a few characters that the sign-in form asks for after a failed sign-in.

Made here with Pillow: no outside service sees who signs in. The answer is kept in the
session as a keyed hash, and a challenge answers once, right or wrong (check() takes it
out), so a picture cannot be solved once and replayed.
"""

import io
import secrets

from django.utils.crypto import constant_time_compare, salted_hmac
from PIL import Image, ImageDraw, ImageFilter, ImageFont

SESSION_KEY = "security_captcha"
# No 0/O, 1/I/L: characters a person could mistake for one another.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 5
WIDTH, HEIGHT = 180, 64


def _digest(answer: str) -> str:
    return salted_hmac("security.captcha", answer.strip().upper(), algorithm="sha256").hexdigest()


def remember(session, answer: str) -> None:
    """Make `answer` the one the session's next check() accepts (tests set a known answer here)."""
    session[SESSION_KEY] = _digest(answer)


def new_challenge(session) -> str:
    """A new random answer, kept hashed in `session`; returns it for drawing."""
    answer = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    remember(session, answer)
    return answer


def check(session, answer: str) -> bool:
    """True if `answer` (any case, spaces around ignored) is the session's challenge;
    the challenge is used up either way."""
    expected = session.pop(SESSION_KEY, None)
    return expected is not None and bool(answer) and constant_time_compare(expected, _digest(answer))


def draw(answer: str) -> bytes:
    """A PNG of `answer`: each character turned and shifted a little, over lines and dots."""
    rng = secrets.SystemRandom()
    image = Image.new("RGB", (WIDTH, HEIGHT), (245, 247, 250))
    pen = ImageDraw.Draw(image)
    for _ in range(6):
        pen.line(
            [(rng.randint(0, WIDTH), rng.randint(0, HEIGHT)), (rng.randint(0, WIDTH), rng.randint(0, HEIGHT))],
            fill=(rng.randint(120, 200), rng.randint(120, 200), rng.randint(120, 200)),
            width=2,
        )
    font = ImageFont.load_default(size=38)
    step = WIDTH // (len(answer) + 1)
    for index, character in enumerate(answer):
        tile = Image.new("RGBA", (48, 56), (0, 0, 0, 0))
        ImageDraw.Draw(tile).text(
            (8, 4), character, font=font, fill=(rng.randint(10, 90), rng.randint(10, 90), rng.randint(60, 140))
        )
        tile = tile.rotate(rng.uniform(-25, 25), resample=Image.Resampling.BICUBIC, expand=False)
        image.paste(tile, (step // 2 + index * step + rng.randint(-4, 4), rng.randint(0, 8)), tile)
    for _ in range(180):
        pen.point((rng.randrange(WIDTH), rng.randrange(HEIGHT)), fill=(rng.randint(0, 255), 0, rng.randint(0, 255)))
    image = image.filter(ImageFilter.SMOOTH)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
