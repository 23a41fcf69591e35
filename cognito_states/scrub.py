"""Scrubbing of error messages before they are kept: backends echo what they were sent
(moto puts a whole access token in some messages), so anything token-, session-, code- or
secret-like is masked before a message reaches a table, JSON, a record or a report.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MASK = "***"
LONGEST = 200  # a message is shown whole up to here; longer ones are cut (after scrubbing)

# A JSON Web Token (header.payload[.signature]) as base64url: tokens, ID tokens.
_JWT = re.compile(r"eyJ[\w-]*\.[\w-]*(?:\.[\w-]*)?")
# A long opaque run (base64, base64url, hex): refresh tokens, sessions, SECRET_HASH,
# client secrets. Words are letters only; an opaque run mixes letters and digits.
_RUN = re.compile(r"[A-Za-z0-9+/=_.~-]{20,}")
# A confirmation or reset code: six digits on their own (moto's carry a prefix).
_CODE = re.compile(r"(?<![\w-])(?:moto-confirmation-code:)?\d{6}(?![\w-])")


def _opaque(match: re.Match[str]) -> str:
    run = match.group(0)
    letters = any(c.isalpha() for c in run)
    digits = any(c.isdigit() for c in run)
    return MASK if letters and digits else run


def scrub(text: str | None, secrets: Iterable[str | None] = ()) -> str | None:
    """``text`` with the given secrets and anything that looks like a token, session,
    code or secret replaced by ``***``; None stays None."""
    if text is None:
        return None
    for secret in secrets:
        if secret:
            text = text.replace(secret, MASK)
    text = _JWT.sub(MASK, text)
    text = _RUN.sub(_opaque, text)
    text = _CODE.sub(MASK, text)
    text = " ".join(text.split())  # one line: tables and notes stay one line a message
    if len(text) > LONGEST:
        text = text[: LONGEST - 1] + "…"
    return text
