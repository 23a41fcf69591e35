"""The operations, one declaration each: boto3 name, keywords (type, default, allowed
values), the mail and text messages it makes Cognito send, the auth flow it uses, what the
client must hold to send it, the code it carries and what the client holds after it
succeeds.

Everything that used to restate these (the scenario language's keywords and checks, the
drivers' "no token: n/a", the mail guard on real pools, the model's flow facts, the code
kinds) reads them from here. ``python -m cognito_states.generate`` regenerates the typed
``step`` surface (``_stepapi.py``) and the README's keyword table from this module.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from cognito_states.statuses import Tokens

if TYPE_CHECKING:
    from cognito_states.scenario import Pool


class Op(StrEnum):
    """The operations, under boto3's method names (each has a SPEC entry below)."""

    admin_create_user = "admin_create_user"
    admin_set_user_password = "admin_set_user_password"
    admin_update_user_attributes = "admin_update_user_attributes"
    admin_initiate_auth = "admin_initiate_auth"
    initiate_auth = "initiate_auth"
    respond_to_auth_challenge = "respond_to_auth_challenge"
    admin_respond_to_auth_challenge = "admin_respond_to_auth_challenge"
    admin_user_global_sign_out = "admin_user_global_sign_out"
    global_sign_out = "global_sign_out"
    get_user = "get_user"
    change_password = "change_password"
    update_user_attributes = "update_user_attributes"
    get_user_attribute_verification_code = "get_user_attribute_verification_code"
    verify_user_attribute = "verify_user_attribute"
    associate_software_token = "associate_software_token"
    verify_software_token = "verify_software_token"
    set_user_mfa_preference = "set_user_mfa_preference"
    admin_set_user_mfa_preference = "admin_set_user_mfa_preference"
    sign_up = "sign_up"
    confirm_sign_up = "confirm_sign_up"
    admin_confirm_sign_up = "admin_confirm_sign_up"
    resend_confirmation_code = "resend_confirmation_code"
    forgot_password = "forgot_password"
    confirm_forgot_password = "confirm_forgot_password"
    admin_reset_user_password = "admin_reset_user_password"
    admin_disable_user = "admin_disable_user"
    admin_enable_user = "admin_enable_user"
    admin_delete_user = "admin_delete_user"
    delete_user = "delete_user"
    revoke_token = "revoke_token"


class Need(StrEnum):
    """What a client must hold to send an operation at all (else the step is ``n/a``)."""

    access_token = "access token"
    refresh_token = "refresh token"
    session = "session of a pending challenge"
    # AssociateSoftwareToken and VerifySoftwareToken: "either the user's access token, or
    # a session string" (API reference); the session of a pending MFA_SETUP comes first.
    setup_session_or_access_token = "MFA_SETUP session or access token"


@dataclass(frozen=True)
class Keyword:
    """One keyword of ``step.<operation>(...)``: its default and the values it takes."""

    name: str
    default: Any
    allowed: tuple[Any, ...]
    doc: str = ""
    # Whether a value other than the default is worth trying in a pool (explore and the
    # transition table try it only there); None: in every pool.
    applies: Callable[[Any, Pool], bool] | None = None

    def tried(self, value: Any, pool: Pool) -> bool:
        return self.applies is None or bool(self.applies(value, pool))

    @property
    def choices(self) -> tuple[str, ...]:
        """The string values it takes (empty for a flag)."""
        return tuple(v for v in self.allowed if isinstance(v, str))

    @property
    def alias(self) -> str:
        """The name of its ``Literal`` type in the typed ``step`` surface."""
        return "".join(part.title() for part in self.name.split("_"))

    @property
    def annotation(self) -> str:
        """The keyword's type as Python writes it (for the typed ``step`` surface)."""
        optional = " | None" if None in self.allowed else ""
        return f"{self.alias if self.choices else 'bool'}{optional}"

    def written(self) -> str:
        """``name=default`` for documentation, with the other values it takes."""
        others = [repr(v) for v in self.choices if v != self.default]
        return f"{self.name}={self.default!r}" + (f" (or {', '.join(others)})" if others else "")


def _always(kwargs: Mapping[str, Any], pool: Pool) -> bool:
    return True


@dataclass(frozen=True)
class Mail:
    """Cognito sends mail for this operation, to ``to``, when ``when`` holds; the mail
    carries a code of the kind ``code`` (codes.py), which an operation whose spec names
    that ``code`` sends back."""

    to: str
    when: Callable[[Mapping[str, Any], Pool], bool] = _always
    condition: str = ""  # ``when`` in words, for the README
    code: str | None = None


@dataclass(frozen=True)
class Sms:
    """Cognito texts the user's phone when this operation succeeds and ``when`` holds of
    the model's facts for the step (operations' keywords ``arg.<name>``, the pool's
    ``pool.<name>``, the user's state); the text carries a code of the kind ``code``.
    Texts cost money: the run's start line and the explore plan count them."""

    to: str
    when: Callable[[Mapping[str, Any]], bool]
    condition: str = ""  # ``when`` in words, for the README
    code: str | None = None
    outcome: str = "ok"  # it texts when the call answers this (a sign-in: challenge:SMS_MFA)


@dataclass(frozen=True)
class Check:
    """A combination of keywords (and pool settings) the language refuses, with the fix.

    ``refuses(kwargs, pool)`` is asked with ``pool`` None when the step is written, and
    again with the scenario's pool once the scenario is built."""

    refuses: Callable[[Mapping[str, Any], Pool | None], bool]
    message: str


@dataclass(frozen=True)
class Operation:
    op: Op
    api: str  # the API action, as the API reference names it
    summary: str
    keywords: tuple[Keyword, ...] = ()
    mail: Mail | None = None
    flow: str | None = None  # the auth flow it always uses
    flow_keyword: str | None = None  # or the keyword naming its auth flow
    needs: Need | None = None
    needs_when: Mapping[str, Any] = field(default_factory=dict)  # only for these values
    code: str | None = None  # the kind of code it sends back (see codes.py, Mail.code)
    # What a success changes in what the client holds (model state fields). The rules'
    # successful rows apply it unless they are simulated (nothing really happened).
    holds_after: Mapping[str, Any] = field(default_factory=dict)
    holds_after_when: Mapping[str, Any] = field(default_factory=dict)  # only for these values
    checks: tuple[Check, ...] = ()
    sms: Sms | None = None
    # Whether explore and the transition table try this operation in a pool; None: in
    # every pool (the MFA operations are tried only where MFA is on or optional).
    applies: Callable[[Pool], bool] | None = None

    def tried(self, pool: Pool) -> bool:
        return self.applies is None or self.applies(pool)

    @property
    def name(self) -> str:
        return str(self.op)

    def keyword(self, name: str) -> Keyword:
        for keyword in self.keywords:
            if keyword.name == name:
                return keyword
        raise KeyError(name)

    def defaults(self) -> dict[str, Any]:
        return {k.name: k.default for k in self.keywords}

    def flow_of(self, kwargs: Mapping[str, Any]) -> str | None:
        """The auth flow a call with these keywords signs in with, if any."""
        if self.flow_keyword is not None:
            return str(kwargs[self.flow_keyword])
        return self.flow

    def needs_for(self, kwargs: Mapping[str, Any]) -> Need | None:
        """What the client must hold to send this call (None: nothing)."""
        if self.needs is None:
            return None
        if all(kwargs.get(k) == v for k, v in self.needs_when.items()):
            return self.needs
        return None

    def holds_after_for(self, kwargs: Mapping[str, Any]) -> Mapping[str, Any]:
        """What a success with these keywords leaves the client holding."""
        if all(kwargs.get(k) == v for k, v in self.holds_after_when.items()):
            return self.holds_after
        return {}

    def sends_mail(self, kwargs: Mapping[str, Any], pool: Pool) -> bool:
        return self.mail is not None and self.mail.when(kwargs, pool)

    def sends_code(self, kwargs: Mapping[str, Any], pool: Pool) -> str | None:
        """The kind of code a successful call with these keywords mails, if any."""
        if self.mail is None or not self.sends_mail(kwargs, pool):
            return None
        return self.mail.code


def holds(need: Need | None, tokens: Tokens, challenge: str | None) -> bool:
    """Whether a client in this model state holds what a call needs."""
    if need is None:
        return True
    if need is Need.session:
        return challenge is not None
    if need is Need.setup_session_or_access_token and challenge == MFA_SETUP:
        return True
    return tokens is not Tokens.none  # a revoked token is still held, and sent


_BOOL = (False, True)
_TRISTATE = (None, False, True)
FLOWS = ("USER_PASSWORD_AUTH", "REFRESH_TOKEN_AUTH", "USER_SRP_AUTH")
MFA_SETUP = "MFA_SETUP"
ATTRIBUTES = ("email", "phone_number")
# The MFA methods as keywords name them, and as the API does.
MFA_TYPES = {"totp": "SOFTWARE_TOKEN_MFA", "sms": "SMS_MFA"}


def _wrong_password() -> Keyword:
    return Keyword("wrong_password", False, _BOOL, "send a password that is not the user's")


def _wrong_code() -> Keyword:
    return Keyword("wrong_code", False, _BOOL, "send a code that is not the one sent")


def _auto_email(pool: Pool) -> bool:
    return "email" in pool.auto_verified_attributes


def _auto_phone(pool: Pool) -> bool:
    return "phone_number" in pool.auto_verified_attributes


def _phone_pool(value: Any, pool: Pool) -> bool:
    return pool.uses_phone


def _mfa_pool(pool: Pool) -> bool:
    return pool.uses_mfa


def _offers(value: Any, pool: Pool) -> bool:
    """A keyword naming an MFA method (``totp=``, ``sms=``, ``preferred=``,
    ``mfa_type=``) is tried in pools that offer that method."""
    return pool.uses_mfa and all(
        MFA_TYPES[name] in pool.mfa_methods for name in ("totp", "sms") if value in (name, None)
    )


def _method(name: str) -> Callable[[Any, Pool], bool]:
    return lambda value, pool: pool.uses_mfa and MFA_TYPES[name] in pool.mfa_methods


def _signup_code_by_text(pool: Pool) -> bool:
    """Sign-up's code goes to the phone when the pool auto-verifies it and every user
    has one; with both auto-verified, only the phone gets it (S4)."""
    return _auto_phone(pool) and pool.gives_phone


def _preference_keywords() -> tuple[Keyword, ...]:
    return (
        Keyword(
            "totp",
            None,
            _TRISTATE,
            "turn TOTP MFA on or off (None: leave it as it is)",
            _method("totp"),
        ),
        Keyword(
            "sms",
            None,
            _TRISTATE,
            "turn SMS MFA on or off (None: leave it as it is)",
            _method("sms"),
        ),
        Keyword(
            "preferred",
            None,
            (None, "totp", "sms"),
            "the preferred method (it is turned on too)",
            _offers,
        ),
    )


def _preference_checks(name: str) -> tuple[Check, ...]:
    return (
        Check(
            lambda kw, pool: kw["totp"] is None and kw["sms"] is None and kw["preferred"] is None,
            f"step.{name}() changes nothing; pass totp=, sms= or preferred=",
        ),
        Check(
            lambda kw, pool: kw["preferred"] is not None and kw[kw["preferred"]] is False,
            f"step.{name}(): a method turned off cannot be preferred;"
            " drop preferred= or turn the method on",
        ),
    )


def _respond_keywords() -> tuple[Keyword, ...]:
    return (
        Keyword(
            "wrong_code",
            False,
            _BOOL,
            "answer an MFA challenge with a wrong code",
            lambda value, pool: pool.uses_mfa,
        ),
        Keyword(
            "mfa_type",
            "totp",
            ("totp", "sms"),
            "SELECT_MFA_TYPE: the method chosen",
            lambda value, pool: len(pool.mfa_methods) > 1,
        ),
    )


# A sign-in (or a challenge's answer) that answers SMS_MFA has texted the code.
_SMS_MFA = Sms(
    "the user's phone (the SMS_MFA code)",
    lambda facts: True,
    "when it answers challenge:SMS_MFA",
    code="sms_mfa",
    outcome="challenge:SMS_MFA",
)


def _attribute() -> Keyword:
    return Keyword(
        "attribute", "email", ATTRIBUTES, "the attribute to verify (AttributeName)", _phone_pool
    )


# ForgotPassword and AdminResetUserPassword deliver the same reset code, the same way
# (AccountRecoverySetting picks the channel; evidence E5 for the admin reset).
_RESET_CODE_MAIL = Mail("the user's address (a reset code)", code="forgot_password")
_RESET_CODE_SMS = Sms(
    "the user's phone (a reset code)",
    lambda f: f["recovery"] == "phone",
    "when account recovery picks the verified phone",
    code="forgot_password",
)


SPEC: Mapping[Op, Operation] = {
    o.op: o
    for o in (
        Operation(
            Op.admin_create_user,
            "AdminCreateUser",
            "an admin creates the user, with a temporary password",
            (
                Keyword("email", True, _BOOL, "give the user an email address"),
                Keyword("email_verified", None, _TRISTATE, "set email_verified in the call"),
                Keyword(
                    "message_action",
                    None,
                    (None, "SUPPRESS", "RESEND"),
                    "MessageAction: send the invitation, suppress it, or re-send it",
                ),
                Keyword(
                    "phone",
                    False,
                    _BOOL,
                    "give the user a phone number (always, where it signs in with one)",
                    lambda value, pool: pool.uses_phone and not pool.gives_phone,
                ),
                Keyword(
                    "phone_verified",
                    None,
                    _TRISTATE,
                    "set phone_number_verified in the call",
                    _phone_pool,
                ),
            ),
            mail=Mail(
                "the user's address (the invitation)",
                lambda kw, pool: kw["message_action"] != "SUPPRESS",
                "unless message_action='SUPPRESS'",
            ),
            sms=Sms(
                "the user's phone (the invitation; DesiredDeliveryMediums defaults to SMS)",
                lambda f: f["has_phone_after"] and f["arg.message_action"] != "SUPPRESS",
                "with a phone, unless message_action='SUPPRESS'",
            ),
            checks=(
                Check(
                    lambda kw, pool: (
                        pool is not None and not kw["email"] and pool.email_is_username
                    ),
                    "step.admin_create_user(email=False) needs a pool whose usernames are not"
                    " emails; drop username_attributes=['email'] or email=False",
                ),
                Check(
                    lambda kw, pool: (
                        pool is not None
                        and kw["phone_verified"] is not None
                        and not kw["phone"]
                        and not pool.gives_phone
                    ),
                    "step.admin_create_user(phone_verified=...) needs a phone number;"
                    " add phone=True (Cognito refuses phone_number_verified without one)",
                ),
            ),
        ),
        Operation(
            Op.admin_set_user_password,
            "AdminSetUserPassword",
            "an admin sets a password, temporary or permanent",
            (Keyword("permanent", False, _BOOL, "Permanent: the user need not change it"),),
        ),
        Operation(
            Op.admin_update_user_attributes,
            "AdminUpdateUserAttributes",
            "an admin changes the email or phone number, or marks one verified",
            (
                Keyword("email_verified", None, _TRISTATE, "set email_verified"),
                Keyword("new_email", False, _BOOL, "give the user a new email address"),
                Keyword(
                    "phone_verified", None, _TRISTATE, "set phone_number_verified", _phone_pool
                ),
                Keyword("new_phone", False, _BOOL, "give the user a new phone number", _phone_pool),
            ),
            mail=Mail(
                "the new address (a verification code)",
                lambda kw, pool: (
                    bool(kw["new_email"]) and _auto_email(pool) and kw["email_verified"] is not True
                ),
                "with new_email=True in a pool that auto-verifies email, unless"
                " email_verified=True",
                code="verify_attribute",
            ),
            sms=Sms(
                "the new phone (a verification code)",
                lambda f: (
                    bool(f["arg.new_phone"])
                    and bool(f["pool.phone_auto_verified"])
                    and f["arg.phone_verified"] is not True
                ),
                "with new_phone=True in a pool that auto-verifies phone numbers, unless"
                " phone_verified=True",
                code="verify_attribute",
            ),
            checks=(
                Check(
                    lambda kw, pool: (
                        kw["email_verified"] is None
                        and not kw["new_email"]
                        and kw["phone_verified"] is None
                        and not kw["new_phone"]
                    ),
                    "step.admin_update_user_attributes() changes nothing;"
                    " pass email_verified=, new_email=True, phone_verified= or new_phone=True",
                ),
                Check(
                    lambda kw, pool: (
                        (kw["email_verified"] is not None or kw["new_email"])
                        and (kw["phone_verified"] is not None or kw["new_phone"])
                    ),
                    "step.admin_update_user_attributes() changes the email or the phone"
                    " number, not both; make it two steps",
                ),
            ),
        ),
        Operation(
            Op.admin_initiate_auth,
            "AdminInitiateAuth",
            "an admin signs the user in with the password (ADMIN_USER_PASSWORD_AUTH)",
            (_wrong_password(),),
            flow="ADMIN_USER_PASSWORD_AUTH",
            sms=_SMS_MFA,
        ),
        Operation(
            Op.initiate_auth,
            "InitiateAuth",
            "the user signs in: password, SRP, or a refresh token",
            (
                Keyword("auth_flow", "USER_PASSWORD_AUTH", FLOWS, "AuthFlow"),
                _wrong_password(),
            ),
            flow_keyword="auth_flow",
            needs=Need.refresh_token,
            needs_when={"auth_flow": "REFRESH_TOKEN_AUTH"},
            sms=_SMS_MFA,
            checks=(
                Check(
                    lambda kw, pool: (
                        bool(kw["wrong_password"]) and kw["auth_flow"] == "REFRESH_TOKEN_AUTH"
                    ),
                    "step.initiate_auth(wrong_password=True) needs a password flow;"
                    " use auth_flow='USER_PASSWORD_AUTH' or 'USER_SRP_AUTH'",
                ),
            ),
        ),
        Operation(
            Op.respond_to_auth_challenge,
            "RespondToAuthChallenge",
            "the user answers the pending challenge (a new password, MFA set-up, an MFA"
            " code or the MFA method chosen)",
            _respond_keywords(),
            needs=Need.session,
            code="sms_mfa",
            sms=_SMS_MFA,
        ),
        Operation(
            Op.admin_respond_to_auth_challenge,
            "AdminRespondToAuthChallenge",
            "an admin answers the pending challenge (a new password, MFA set-up, an MFA"
            " code or the MFA method chosen)",
            _respond_keywords(),
            needs=Need.session,
            code="sms_mfa",
            sms=_SMS_MFA,
        ),
        Operation(
            Op.admin_user_global_sign_out,
            "AdminUserGlobalSignOut",
            "an admin signs the user out everywhere",
            holds_after={"tokens": Tokens.revoked},
        ),
        Operation(
            Op.global_sign_out,
            "GlobalSignOut",
            "the user signs out everywhere",
            needs=Need.access_token,
            holds_after={"tokens": Tokens.revoked},
        ),
        Operation(Op.get_user, "GetUser", "the user reads their profile", needs=Need.access_token),
        Operation(
            Op.change_password,
            "ChangePassword",
            "the user changes their password",
            (_wrong_password(),),
            needs=Need.access_token,
        ),
        Operation(
            Op.update_user_attributes,
            "UpdateUserAttributes",
            "the user changes their own email",
            (Keyword("new_email", False, _BOOL, "give the user a new email address"),),
            mail=Mail(
                "the new address (a verification code)",
                lambda kw, pool: bool(kw["new_email"]) and _auto_email(pool),
                "with new_email=True in a pool that auto-verifies email",
                code="verify_attribute",
            ),
            needs=Need.access_token,
            checks=(
                Check(
                    lambda kw, pool: not kw["new_email"],
                    "step.update_user_attributes() changes nothing; pass new_email=True",
                ),
            ),
        ),
        Operation(
            Op.get_user_attribute_verification_code,
            "GetUserAttributeVerificationCode",
            "the user asks for a code to verify their email or phone number",
            (_attribute(),),
            mail=Mail(
                "the user's address (a verification code)",
                lambda kw, pool: kw["attribute"] == "email",
                "for attribute='email'",
                code="verify_attribute",
            ),
            needs=Need.access_token,
            holds_after={"attribute_code": True},
            holds_after_when={"attribute": "email"},
            sms=Sms(
                "the user's phone (a verification code)",
                lambda f: f["arg.attribute"] == "phone_number",
                "for attribute='phone_number'",
                code="verify_attribute",
            ),
        ),
        Operation(
            Op.verify_user_attribute,
            "VerifyUserAttribute",
            "the user verifies their email or phone number with the code",
            (_attribute(), _wrong_code()),
            needs=Need.access_token,
            code="verify_attribute",
            holds_after={"attribute_code": False},
            holds_after_when={"attribute": "email"},
        ),
        Operation(
            Op.associate_software_token,
            "AssociateSoftwareToken",
            "the user (or a pending MFA_SETUP) gets a TOTP secret for an authenticator",
            needs=Need.setup_session_or_access_token,
            applies=_mfa_pool,
        ),
        Operation(
            Op.verify_software_token,
            "VerifySoftwareToken",
            "the user proves the authenticator with a TOTP code (pyotp computes it)",
            (
                Keyword(
                    "wrong_code",
                    False,
                    _BOOL,
                    "send a code that is not the authenticator's",
                    lambda value, pool: pool.uses_mfa,
                ),
            ),
            needs=Need.setup_session_or_access_token,
            applies=_mfa_pool,
        ),
        Operation(
            Op.set_user_mfa_preference,
            "SetUserMFAPreference",
            "the user turns MFA methods on or off, and picks one",
            _preference_keywords(),
            needs=Need.access_token,
            checks=_preference_checks("set_user_mfa_preference"),
            applies=_mfa_pool,
        ),
        Operation(
            Op.admin_set_user_mfa_preference,
            "AdminSetUserMFAPreference",
            "an admin turns the user's MFA methods on or off, and picks one",
            _preference_keywords(),
            checks=_preference_checks("admin_set_user_mfa_preference"),
            applies=_mfa_pool,
        ),
        Operation(
            Op.sign_up,
            "SignUp",
            "the user signs up",
            mail=Mail(
                "the user's address (a confirmation code)",
                lambda kw, pool: _auto_email(pool) and not _signup_code_by_text(pool),
                "in a pool that auto-verifies email (and does not text the code)",
                code="sign_up",
            ),
            sms=Sms(
                "the user's phone (a confirmation code)",
                lambda f: bool(f["pool.phone_auto_verified"]) and bool(f["has_phone_after"]),
                "in a pool that auto-verifies phone numbers, for a user with one",
                code="sign_up",
            ),
        ),
        Operation(
            Op.confirm_sign_up,
            "ConfirmSignUp",
            "the user confirms sign-up with the code",
            (_wrong_code(),),
            code="sign_up",
        ),
        Operation(
            Op.admin_confirm_sign_up,
            "AdminConfirmSignUp",
            "an admin confirms the user",
        ),
        Operation(
            Op.resend_confirmation_code,
            "ResendConfirmationCode",
            "the user asks for the sign-up code again",
            mail=Mail(
                "the user's address (a confirmation code)",
                lambda kw, pool: not _signup_code_by_text(pool),
                "unless the phone gets it",
                code="sign_up",
            ),
            sms=Sms(
                "the user's phone (a confirmation code)",
                lambda f: bool(f["pool.phone_auto_verified"]) and bool(f["has_phone"]),
                "in a pool that auto-verifies phone numbers, for a user with one",
                code="sign_up",
            ),
        ),
        Operation(
            Op.forgot_password,
            "ForgotPassword",
            "the user asks for a password-reset code",
            mail=_RESET_CODE_MAIL,
            holds_after={"reset_code": True},
            sms=_RESET_CODE_SMS,
        ),
        Operation(
            Op.confirm_forgot_password,
            "ConfirmForgotPassword",
            "the user sets a new password with the reset code",
            (_wrong_code(),),
            code="forgot_password",
            holds_after={"reset_code": False},
        ),
        Operation(
            Op.admin_reset_user_password,
            "AdminResetUserPassword",
            "an admin resets the password (RESET_REQUIRED)",
            # It mails a reset code that ConfirmForgotPassword checks (evidence E5).
            mail=_RESET_CODE_MAIL,
            holds_after={"reset_code": True},
            sms=_RESET_CODE_SMS,
        ),
        Operation(
            Op.admin_disable_user,
            "AdminDisableUser",
            "an admin disables the user",
            holds_after={"tokens": Tokens.revoked},
        ),
        Operation(Op.admin_enable_user, "AdminEnableUser", "an admin enables the user"),
        Operation(Op.admin_delete_user, "AdminDeleteUser", "an admin deletes the user"),
        Operation(
            Op.delete_user, "DeleteUser", "the user deletes themselves", needs=Need.access_token
        ),
        Operation(
            Op.revoke_token,
            "RevokeToken",
            "the user revokes their refresh token",
            needs=Need.refresh_token,
            holds_after={"tokens": Tokens.revoked},
        ),
    )
}

OPERATIONS: tuple[Operation, ...] = tuple(SPEC.values())
# The kinds of code a code source is asked for: those operations send back.
CODE_KINDS: tuple[str, ...] = tuple(sorted({o.code for o in OPERATIONS if o.code}))
# Operations that can answer challenge:SMS_MFA, which texts the user's phone.
SIGN_INS = (
    Op.admin_initiate_auth,
    Op.initiate_auth,
    Op.respond_to_auth_challenge,
    Op.admin_respond_to_auth_challenge,
)


def spec(op: Op | str) -> Operation:
    return SPEC[Op(op)]
