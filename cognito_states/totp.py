"""TOTP codes for the secret AssociateSoftwareToken hands out, computed with pyotp (RFC
6238 as Cognito uses it: SHA-1, 6 digits, 30-second steps), never by hand. The secret
stays with the driver that asked for it; nothing here logs or returns it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyotp

# Less than this many seconds left in a step: wait for the next one, because moto
# checks the current step only (no tolerance window, unlike Cognito's +-30 s: S19).
MARGIN = 1.5
# A wrong code: six digits (botocore refuses fewer) that no nearby step produces.
_WRONG_CANDIDATES = ("000000", "000001", "000002", "000003")


def _totp(secret: str) -> pyotp.TOTP:
    import pyotp

    class CognitoTOTP(pyotp.TOTP):
        # moto hands every user the same 12-character secret (60 bits), below pyotp
        # 2.12's 112-bit minimum for secrets it makes; we only compute codes for a secret
        # the backend chose, so the minimum is lifted (pyotp's documented knob).
        min_secret_length_bits = 0

    return CognitoTOTP(secret)


def totp_code(
    secret: str,
    *,
    wrong: bool = False,
    used_step: int | None = None,
    clock: Callable[[], float] = time.time,
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[str, int]:
    """The code for ``secret`` now, and the time step it belongs to. ``used_step``: the
    step whose code was sent last; a code is never sent twice (Cognito may refuse a
    reused code: S22), so this waits for the next step. ``wrong``: a code none of the
    steps around now would produce."""
    totp = _totp(secret)
    interval = totp.interval
    now = clock()
    left = interval - now % interval
    step = int(now // interval)
    target = 0.0
    if used_step is not None and step <= used_step:
        target = float((used_step + 1) * interval)
    if left < MARGIN:
        target = max(target, float((step + 1) * interval))
    if target:
        sleep(target - now + 0.05)
        now = clock()
        step = int(now // interval)
    if wrong:
        valid = {totp.at(now, counter_offset=k) for k in (-1, 0, 1)}
        return next(c for c in _WRONG_CANDIDATES if c not in valid), step
    return totp.at(now), step
