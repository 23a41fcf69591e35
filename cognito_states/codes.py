"""Where confirmation codes come from: moto (built in), the person at the terminal
(``--codes prompt``) or a Python callable (``--codes module:function``). With none, a step
that needs a code is skipped with the reason, and so is the rest of its scenario.
"""

from __future__ import annotations

import importlib
import sys
from typing import Protocol

from cognito_states.errors import SettingsError, setting
from cognito_states.operations import CODE_KINDS

# The kinds of code a source is asked for: those the operations carry (operations.SPEC).
__all__ = ["CODE_KINDS", "CodeSource", "NoCode", "load_code_source", "moto_codes", "no_codes"]


class NoCode(Exception):  # noqa: N818 (a signal, like StepSkipped)
    """No code can be had for this step: the step is skipped with this reason."""


class CodeSource(Protocol):
    def __call__(self, kind: str, username: str, email: str | None) -> str: ...


def spoken(kind: str) -> str:
    """A code kind as messages write it: ``verify_attribute`` -> ``verify-attribute``."""
    return kind.replace("_", "-")


def moto_codes(kind: str, username: str, email: str | None) -> str:
    """moto accepts any sign-up code and any SMS_MFA code (it texts none and shows none);
    the forgot-password code it would have mailed comes back in a response header, which
    the driver keeps, so this is only asked when none came: after an
    AdminResetUserPassword, which on moto creates no code (moto-25). It is never asked for
    a verify-attribute code: moto does not implement VerifyUserAttribute (gaps/moto.py),
    and the driver asks no code for such a call."""
    if kind in ("sign_up", "sms_mfa"):
        return "123456"
    if kind == "forgot_password":
        raise NoCode(
            "moto sent no forgot-password code: only its ForgotPassword returns one, and"
            " AdminResetUserPassword creates none (moto-25)"
        )
    raise NoCode(f"moto sent no {spoken(kind)} code (no step before asked for one)")


def no_codes(kind: str, username: str, email: str | None) -> str:
    raise NoCode(
        f"needs the {spoken(kind)} code Cognito mailed; pass --codes prompt"
        " or --codes module:function (pytest: --cognito-codes)"
    )


def prompt_codes(kind: str, username: str, email: str | None) -> str:
    if not sys.stdin.isatty():
        raise NoCode(f"needs the {spoken(kind)} code, and there is no terminal to ask")
    to = f" sent to {email}" if email else ""
    answer = input(f"{spoken(kind)} code{to}: ").strip()
    if not answer:
        raise NoCode("no code was typed")
    return answer


def load_code_source(spec: str | None, default: CodeSource) -> CodeSource:
    """``None`` -> the backend's default; ``prompt``; or ``module:function``."""
    if spec is None:
        return default
    if spec == "prompt":
        return prompt_codes
    module_name, _, attr = spec.partition(":")
    if not module_name or not attr:
        raise SettingsError(
            f"{setting('codes')} {spec!r} is not 'prompt' or 'module:function' (a callable"
            " taking kind, username, email)"
        )
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise SettingsError(
            f"{setting('codes')} {spec!r}: cannot import {module_name!r} ({exc})"
        ) from None
    func = getattr(module, attr, None)
    if not callable(func):
        raise SettingsError(f"{setting('codes')} {spec!r}: {module_name} has no callable {attr!r}")
    source: CodeSource = func
    return source
