"""Real Cognito's transition rules, as rows of data with their sources.

Each row says: for this operation, when these facts hold, Cognito answers this outcome
(with this message, where the evidence gives it) and the user's state changes like this.
The first row of an operation whose facts hold wins. Sources are ids that
``cognito-states sources`` resolves (``S…``/``I…`` documentation and issue threads,
``E…``/``D…``/``C…`` findings of the evidence review); the package ships their text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cognito_states.operations import SPEC, Op
from cognito_states.sources import all_sources, ids_in
from cognito_states.statuses import (
    CHALLENGE_NPR,
    NA,
    NEW_PASSWORD_REQUIRED,
    NO_USER,
    OK,
    TOKENS,
    Confidence,
    Status,
    Tokens,
    error,
)

FCP = Status.FORCE_CHANGE_PASSWORD
RR = Status.RESET_REQUIRED
CONF = Status.CONFIRMED
UNC = Status.UNCONFIRMED
EXT = Status.EXTERNAL_PROVIDER
LEGACY, ENABLED = "LEGACY", "ENABLED"
PASSWORD_FLOWS = ("USER_PASSWORD_AUTH", "USER_SRP_AUTH")

DOC, EX, OBS, DISPUTED, INFERRED, UNCONFIRMED = (
    Confidence.DOC,
    Confidence.EX,
    Confidence.OBS,
    Confidence.DISPUTED,
    Confidence.INFERRED,
    Confidence.UNCONFIRMED,
)

# A fact named in a message, filled in when the rule fires: "{status}", "{arg.auth_flow}".
_PLACEHOLDER = re.compile(r"\{([\w.]+)\}")


def fill(message: str | None, facts: Mapping[str, Any]) -> str | None:
    """A rule's message with the facts it names filled in."""
    if message is None:
        return None
    return _PLACEHOLDER.sub(lambda m: str(facts.get(m.group(1), m.group(0))), message)


@dataclass(frozen=True)
class Alternative:
    """The other side of a DISPUTED rule: what its other sources say Cognito answers."""

    outcome: str
    source: str  # free text naming source ids
    message: str | None = None

    @property
    def sources(self) -> tuple[str, ...]:
        return ids_in(self.source)

    def as_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "source": self.source,
            "sources": list(self.sources),
            "message": self.message,
        }


class Copy(str):
    """A ``then`` value that copies a fact as it is (``Copy("=pref.methods")``)."""

    __slots__ = ()


@dataclass(frozen=True)
class Rule:
    """One row: ``op`` under ``when`` answers ``outcome`` and applies ``then``.

    ``when`` maps a fact to a value, or to a tuple of accepted values. Facts are the
    user's state (``status``, ``enabled``, ``email_verified``, ``has_email``,
    ``tokens``, ``challenge``, ``reset_code``, ``pending_email``, ``attribute_code``,
    ``has_phone``, ``phone_number_verified``, ``phone_code``, ``mfa_methods``,
    ``preferred_mfa``, ``totp_pending``, ``totp_verified``: model.UserState), whether the
    client ``holds`` what the operation needs (operations.SPEC), the step's keywords
    (``arg.<name>``), the pool's settings (``pool.<name>``) and what the model works out
    from them (model.CognitoModel.facts): ``gives_phone`` (the new user has a phone
    number), ``recovery`` (where ForgotPassword's code goes: email, phone or None),
    ``signup_code_to``, ``mfa.enabled``/``mfa.only``/``mfa.preferred`` (the user's
    methods the pool offers) and, for the MFA preference calls, ``pref.*`` (what the
    keywords make of the methods). ``then`` sets state fields; a value written
    ``"=fact"`` copies that fact as a yes/no, ``Copy("=fact")`` copies it as it is. A successful row also applies what the operation's
    spec says a success leaves the client holding, unless it is ``simulated`` (Cognito
    answers as if it had done something, to hide whether the user exists).

    ``source`` is the citation as text; ``sources`` the ids it names (and the
    alternative's), filled in from the text unless given. ``message`` is real Cognito's
    error message where the evidence gives it (``{status}``-style facts filled in).
    A DISPUTED row names its ``alternative``.
    """

    op: Op
    when: Mapping[str, Any]
    outcome: str
    then: Mapping[str, Any]
    confidence: Confidence
    source: str | None
    note: str = ""
    simulated: bool = False
    message: str | None = None
    alternative: Alternative | None = None
    sources: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.sources:
            ids = list(ids_in(self.source))
            if self.alternative is not None:
                ids += [i for i in self.alternative.sources if i not in ids]
            object.__setattr__(self, "sources", tuple(ids))

    def matches(self, facts: Mapping[str, Any]) -> bool:
        for key, wanted in self.when.items():
            value = facts[key]
            if isinstance(wanted, tuple):
                if value not in wanted:
                    return False
            elif value != wanted:
                return False
        return True

    @property
    def statuses(self) -> tuple[str, ...] | None:
        """The statuses this row can fire from, or None for any."""
        wanted = self.when.get("status")
        if wanted is None:
            return None
        return wanted if isinstance(wanted, tuple) else (wanted,)

    def describe_when(self) -> str:
        parts = []
        for key, value in self.when.items():
            shown = "|".join(map(str, value)) if isinstance(value, tuple) else str(value)
            parts.append(f"{key}={shown}")
        return ", ".join(parts) or "otherwise"

    def describe_then(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in self.then.items()) or "no change"

    def as_dict(self) -> dict[str, Any]:
        def plain(value: Any) -> Any:
            return list(value) if isinstance(value, tuple) else value

        return {
            "operation": str(self.op),
            "when": {k: plain(v) for k, v in self.when.items()},
            "outcome": self.outcome,
            "then": dict(self.then),
            "confidence": str(self.confidence),
            "source": self.source,
            "sources": list(self.sources),
            "note": self.note,
            "simulated": self.simulated,
            "message": self.message,
            "alternative": self.alternative.as_dict() if self.alternative else None,
        }


def _r(
    op: Op,
    when: Mapping[str, Any],
    outcome: str,
    then: Mapping[str, Any] | None,
    confidence: Confidence,
    source: str | None,
    note: str = "",
    *,
    simulated: bool = False,
    message: str | None = None,
    alternative: Alternative | None = None,
) -> Rule:
    changes = dict(then or {})
    spec = SPEC[op]
    applies = all(when.get(f"arg.{k}", v) == v for k, v in spec.holds_after_when.items())
    if outcome == OK and not simulated and applies:
        changes = {**spec.holds_after, **changes}
    assert (confidence is DISPUTED) == (alternative is not None), (op, when)
    return Rule(
        op,
        dict(when),
        outcome,
        changes,
        confidence,
        source,
        note,
        simulated,
        message,
        alternative,
    )


def _lacks(op: Op, confidence: Confidence = INFERRED, source: str = "S1") -> Rule:
    """n/a: the client lacks what the operation needs (operations.SPEC), so no client
    could send it."""
    need = SPEC[op].needs
    assert need is not None, op
    return _r(op, {"holds": False}, NA, None, confidence, source, f"needs the {need} it lacks")


NOT_FOUND = error("UserNotFoundException")
NOT_AUTHORIZED = error("NotAuthorizedException")
INVALID_PARAMETER = error("InvalidParameterException")
CODE_MISMATCH = error("CodeMismatchException")
RESET_REQUIRED_ERROR = error("PasswordResetRequiredException")

# Real Cognito's messages, as the evidence review (section 5) quotes them.
USER_DOES_NOT_EXIST = "User does not exist."
USER_IS_DISABLED = "User is disabled."
INCORRECT_PASSWORD = "Incorrect username or password."
RESET_REQUIRED_MESSAGE = "Password reset required for the user"
ACCESS_TOKEN_REVOKED = "Access Token has been revoked"
REFRESH_TOKEN_REVOKED = "Refresh Token has been revoked"
CANNOT_BE_RESET = "User password cannot be reset in the current state."
NO_VERIFIED_CONTACT = (
    "Cannot reset password for the user as there is no registered/verified email or phone_number"
)
CANNOT_BE_CONFIRMED = "User cannot be confirmed. Current status is {status}"
ALREADY_CONFIRMED = "User is already confirmed."

GONE: Mapping[str, Any] = {
    "status": NO_USER,
    "enabled": None,
    "email_verified": None,
    "has_email": False,
    "tokens": Tokens.revoked,
    "challenge": None,
    "reset_code": False,
    "pending_email": False,
    "attribute_code": False,
    "has_phone": False,
    "phone_number_verified": None,
    "phone_code": False,
    "mfa_methods": (),
    "preferred_mfa": None,
    "totp_pending": False,
    "totp_verified": False,
}
SIGNED_IN: Mapping[str, Any] = {"tokens": Tokens.valid, "challenge": None}
TOTP, SMS = "SOFTWARE_TOKEN_MFA", "SMS_MFA"
# Real Cognito's MFA messages, as public observations quote them (I19-I22) and S19.
INVALID_MFA_CODE = "Invalid code or auth state for the user."
TOTP_CODE_MISMATCH = "Code mismatch and fail enable Software Token MFA"
TOTP_NOT_ENABLED = "Software Token MFA has not been enabled by the userPool."
TOTP_NOT_VERIFIED = "User has not verified software token mfa"
NO_PHONE_FOR_SMS_MFA = "User does not have a phone_number set to turn on SMS MFA"
MFA_SETUP, SELECT_MFA_TYPE = "MFA_SETUP", "SELECT_MFA_TYPE"
MFA_CODES = (TOTP, SMS)
# The new-password challenge is the one a FORCE_CHANGE_PASSWORD user's session answers
# (an MFA challenge pending when an admin set a temporary password is not).
NPR_PENDING: Mapping[str, Any] = {"status": FCP, "challenge": NEW_PASSWORD_REQUIRED}
SOFTWARE_TOKEN_NOT_FOUND = error("SoftwareTokenMFANotFoundException")


def challenge(name: str) -> str:
    return f"challenge:{name}"


def _mfa_rows(op: Op, when: Mapping[str, Any], then: Mapping[str, Any]) -> list[Rule]:
    """The MFA challenge that follows a right password (or a new one): one row per way
    the pool's MFA setting and the user's methods decide it. None of these fires with MFA
    off (no method is offered) or, with MFA optional, for a user with no method turned
    on: the row after them gives tokens."""

    def row(extra: Mapping[str, Any], name: str, conf: Confidence, source: str, note: str) -> Rule:
        return _r(
            op, {**when, **extra}, challenge(name), {**then, "challenge": name}, conf, source, note
        )

    preference = "S1 SetUserMFAPreference"
    return [
        *(
            row(
                {"mfa.preferred": method},
                method,
                DOC,
                preference,
                '"The preferred MFA factor will be used to authenticate a user if multiple'
                ' factors are activated."',
            )
            for method in MFA_CODES
        ),
        row(
            {"mfa.enabled": 2},
            SELECT_MFA_TYPE,
            DOC,
            preference,
            '"If multiple options are activated and no preference is set, a challenge to'
            ' choose an MFA option will be returned during sign-in."',
        ),
        *(
            row(
                {"mfa.only": method},
                method,
                DOC,
                preference,
                '"If an MFA type is activated for a user, the user will be prompted for MFA'
                ' during all sign-in attempts"',
            )
            for method in MFA_CODES
        ),
        row(
            {"pool.mfa": "ON", "totp_verified": True, "pool.totp": True},
            TOTP,
            EX,
            "S22",
            "MFA required, TOTP set up (VerifySoftwareToken) but never turned on with"
            " SetUserMFAPreference: AWS's MFA sign-up example is asked for a TOTP code",
        ),
        row(
            {"pool.mfa": "ON", "pool.sms": True, "has_phone": True},
            SMS,
            OBS,
            "I23, S18",
            "MFA required, SMS offered, a phone number (verified or not): SMS MFA with no"
            " set-up, and not listed in UserMFASettingList (I23); S18: unverified phone"
            " numbers can be used",
        ),
        row(
            {"pool.mfa": "ON", "pool.totp": True},
            MFA_SETUP,
            DOC,
            "S1 InitiateAuth, S18, S19, S22",
            "MFA required and no method: set up TOTP first (MFAS_CAN_SETUP lists the"
            " pool's methods). Disputed for a user who signed up: S18 and S19 say their"
            " first sign-in gets tokens; AWS's example (S22) shows MFA_SETUP",
        ),
        row(
            {"pool.mfa": "ON"},
            MFA_SETUP,
            UNCONFIRMED,
            "S1 InitiateAuth",
            "SMS-only pool, a user without a phone number: the API says to collect one"
            " and restart; the form of that answer is a guess",
        ),
    ]


def _no_user(op: Op) -> Rule:
    return _r(
        op,
        {"status": NO_USER},
        NOT_FOUND,
        None,
        DOC,
        "S1 (errors of every Admin* operation)",
        message=USER_DOES_NOT_EXIST,
    )


def _flow_not_allowed(op: Op, message: str) -> Rule:
    return _r(
        op,
        {"pool.flow_allowed": False},
        INVALID_PARAMETER,
        None,
        OBS,
        "C8, S1 ExplicitAuthFlows",
        "the flow must be allowed for the app client (Lambda logs, real-pool tests)",
        message=message,
    )


def _password_sign_in(op: Op, flow: Mapping[str, Any]) -> list[Rule]:
    """ADMIN_USER_PASSWORD_AUTH, USER_PASSWORD_AUTH and USER_SRP_AUTH answer alike."""
    return [
        _r(
            op,
            {**flow, "status": NO_USER, "pool.prevent_user_existence_errors": LEGACY},
            NOT_FOUND,
            None,
            DOC,
            "S5",
            message=USER_DOES_NOT_EXIST,
        ),
        _r(
            op,
            {**flow, "status": NO_USER, "pool.prevent_user_existence_errors": ENABLED},
            NOT_AUTHORIZED,
            None,
            DOC,
            "S5",
            "generic error hides whether the user exists",
        ),
        _r(
            op,
            {**flow, "enabled": False},
            NOT_AUTHORIZED,
            None,
            OBS,
            "I1",
            message=USER_IS_DISABLED,
        ),
        _r(
            op,
            {**flow, "status": UNC},
            error("UserNotConfirmedException"),
            None,
            OBS,
            "I2, D3",
            "returned even when the password is wrong (AWS staff: intended; six reports"
            " agree); three reports without pool settings saw NotAuthorizedException (D3)",
        ),
        _r(
            op,
            {
                **flow,
                "status": RR,
                "pool.prevent_user_existence_errors": LEGACY,
                "arg.wrong_password": False,
            },
            RESET_REQUIRED_ERROR,
            None,
            DOC,
            "S13, S3",
            message=RESET_REQUIRED_MESSAGE,
        ),
        _r(
            op,
            {
                **flow,
                "status": RR,
                "pool.prevent_user_existence_errors": ENABLED,
                "arg.wrong_password": False,
            },
            NOT_AUTHORIZED,
            None,
            DISPUTED,
            "S5, S13, D1",
            "the documentation says the generic NotAuthorizedException; an AWS engineer's"
            " test (2020) saw PasswordResetRequiredException whatever the setting",
            alternative=Alternative(
                RESET_REQUIRED_ERROR,
                "D1 (AWS staff after testing: aws-sdk-ios#2298)",
                RESET_REQUIRED_MESSAGE,
            ),
        ),
        _r(
            op,
            {**flow, "arg.wrong_password": True},
            NOT_AUTHORIZED,
            None,
            DOC,
            "S12",
            "lockout after 5 failures",
            message=INCORRECT_PASSWORD,
        ),
        _r(
            op,
            {**flow, "status": FCP},
            CHALLENGE_NPR,
            {"challenge": NEW_PASSWORD_REQUIRED},
            EX,
            "S15, seed-article step 4",
            "requiredAttributes lists required attributes the user lacks",
        ),
        *_mfa_rows(op, {**flow, "status": CONF}, {}),
        _r(
            op,
            {**flow, "status": CONF, "pool.mfa": "OPTIONAL", "totp_verified": True},
            TOKENS,
            SIGNED_IN,
            DISPUTED,
            "S1 SetUserPoolMfaConfig, I27",
            "MFA optional, TOTP verified but never turned on: the API says only users who"
            " chose a method are asked; a 2017 report (I27) was asked for a TOTP code",
            alternative=Alternative(challenge(TOTP), "I27 (amazon-cognito-identity-js#630)"),
        ),
        _r(
            op,
            {**flow, "status": CONF, "pool.mfa": "OPTIONAL"},
            TOKENS,
            SIGNED_IN,
            DOC,
            "S1 SetUserPoolMfaConfig",
            "MFA optional: a user with no method turned on gets tokens",
        ),
        _r(
            op,
            {**flow, "status": CONF},
            TOKENS,
            SIGNED_IN,
            EX,
            "S16, seed-article step 7",
        ),
    ]


def _respond(op: Op) -> list[Rule]:
    return [
        _lacks(op),
        _r(
            op,
            {"status": NO_USER},
            NOT_AUTHORIZED,
            {"challenge": None},
            UNCONFIRMED,
            None,
        ),
        _r(
            op,
            {"enabled": False},
            NOT_AUTHORIZED,
            {"challenge": None},
            UNCONFIRMED,
            None,
        ),
        # NEW_PASSWORD_REQUIRED answered: then MFA, as after a right password (S19:
        # "Amazon Cognito immediately challenges the user to set up MFA").
        *(
            rule
            for when, then in (
                (
                    {**NPR_PENDING, "pool.email_required": True, "has_email": False},
                    {"status": CONF, "has_email": True},
                ),
                (NPR_PENDING, {"status": CONF}),
            )
            for rule in _mfa_rows(op, when, then)
        ),
        _r(
            op,
            {**NPR_PENDING, "pool.email_required": True, "has_email": False},
            TOKENS,
            {"status": CONF, "has_email": True, **SIGNED_IN},
            DOC,
            "S7, S1",
            "the answer carries userAttributes.email, as requiredAttributes asks",
        ),
        _r(op, NPR_PENDING, TOKENS, {"status": CONF, **SIGNED_IN}, DOC, "S7, S1"),
        # MFA_SETUP answered with the session VerifySoftwareToken returned.
        _r(
            op,
            {"status": CONF, "challenge": MFA_SETUP, "totp_verified": True},
            TOKENS,
            SIGNED_IN,
            DOC,
            "S1 InitiateAuth, S1 VerifySoftwareToken",
            "UserMFASettingList stays empty: only SetUserMFAPreference fills it (I23;"
            " UNCONFIRMED after MFA_SETUP)",
        ),
        _r(
            op,
            {"status": CONF, "challenge": MFA_SETUP},
            NOT_AUTHORIZED,
            {"challenge": None},
            UNCONFIRMED,
            "S1 InitiateAuth",
            "MFA_SETUP answered before an authenticator was verified; the error is a guess",
        ),
        # An MFA code.
        _r(
            op,
            {"status": CONF, "challenge": MFA_CODES, "arg.wrong_code": True},
            CODE_MISMATCH,
            {"challenge": None},
            DOC,
            "S1 RespondToAuthChallenge, I20",
            "whether the session survives is UNCONFIRMED (the client drops it)",
            message=INVALID_MFA_CODE,
        ),
        _r(
            op,
            {"status": CONF, "challenge": SMS},
            TOKENS,
            {**SIGNED_IN, "phone_number_verified": True},
            DOC,
            "S18, S20",
            '"After your user completes SMS MFA, Amazon Cognito sets their'
            ' phone_number_verified attribute to true."',
        ),
        _r(
            op,
            {"status": CONF, "challenge": TOTP},
            TOKENS,
            SIGNED_IN,
            DOC,
            "S1 RespondToAuthChallenge",
        ),
        # SELECT_MFA_TYPE: the chosen method's challenge follows.
        _r(
            op,
            {"status": CONF, "challenge": SELECT_MFA_TYPE, "arg.mfa_type": "sms"},
            challenge(SMS),
            {"challenge": SMS},
            DOC,
            "S1 RespondToAuthChallenge",
            "ANSWER=SMS_MFA",
        ),
        _r(
            op,
            {"status": CONF, "challenge": SELECT_MFA_TYPE},
            challenge(TOTP),
            {"challenge": TOTP},
            DOC,
            "S1 RespondToAuthChallenge",
            "ANSWER=SOFTWARE_TOKEN_MFA",
        ),
        _r(
            op,
            {},
            NOT_AUTHORIZED,
            {"challenge": None},
            UNCONFIRMED,
            None,
            "session of a challenge the user's status no longer needs",
        ),
    ]


def _totp_rows(op: Op, when: Mapping[str, Any], source: str) -> list[Rule]:
    """AssociateSoftwareToken or VerifySoftwareToken, with a pending MFA_SETUP's session
    or (``when`` empty) with the access token: the pool must offer TOTP (S19)."""
    not_offered = _r(
        op,
        {**when, "pool.totp": False},
        SOFTWARE_TOKEN_NOT_FOUND,
        None,
        DOC,
        "S19",
        "INFERRED for a pool with MFA off",
        message=TOTP_NOT_ENABLED,
    )
    if op is Op.associate_software_token:
        return [
            not_offered,
            _r(
                op,
                when,
                OK,
                {"totp_pending": True},
                DOC,
                source,
                "a secret for the authenticator; the one verified before stays until the"
                " new one is verified",
            ),
        ]
    return [
        not_offered,
        _r(
            op,
            {**when, "totp_pending": False},
            INVALID_PARAMETER,
            None,
            UNCONFIRMED,
            "S1 VerifySoftwareToken",
            "no secret was associated (or it was verified already); the error is a guess",
        ),
        _r(
            op,
            {**when, "arg.wrong_code": True},
            error("EnableSoftwareTokenMFAException"),
            None,
            DOC,
            "S1 VerifySoftwareToken, I19",
            "the set-up may be retried (I19)",
            message=TOTP_CODE_MISMATCH,
        ),
        _r(
            op,
            when,
            OK,
            {"totp_pending": False, "totp_verified": True},
            DOC,
            source,
            'marks the software token "verified"; turning it on is SetUserMFAPreference',
        ),
    ]


def _totp(op: Op) -> list[Rule]:
    session = {"challenge": MFA_SETUP}
    return [
        _lacks(op),
        *_totp_rows(op, session, f"S1 {SPEC[op].api}, S1 InitiateAuth (MFA_SETUP)"),
        *_self_service(op)[1:],
        *_totp_rows(op, {}, f"S1 {SPEC[op].api}, S19"),
    ]


def _preference(op: Op) -> list[Rule]:
    """(Admin)SetUserMFAPreference: the same settings, the same answers (S1)."""
    api = f"S1 {SPEC[op].api}"
    first = _no_user(op) if op is Op.admin_set_user_mfa_preference else None
    return [
        *([first] if first else _self_service(op)),
        _r(
            op,
            {"pref.enables_totp": True, "totp_verified": False},
            INVALID_PARAMETER,
            None,
            DOC,
            f"{api}, I21",
            '"Users must register a TOTP authenticator before they set this as their'
            " preferred MFA method.\" (S1; the message is I21's)",
            message=TOTP_NOT_VERIFIED,
        ),
        _r(
            op,
            {"pref.enables_sms": True, "has_phone": False},
            INVALID_PARAMETER,
            None,
            OBS,
            "I22, S11",
            message=NO_PHONE_FOR_SMS_MFA,
        ),
        _r(
            op,
            {"pool.mfa": "OFF"},
            INVALID_PARAMETER,
            None,
            UNCONFIRMED,
            "S18",
            '"No MFA. Your users can\'t register an additional sign-in factor."; the error'
            " is a guess",
        ),
        _r(
            op,
            {"pool.mfa": "ON", "pref.disables": True},
            INVALID_PARAMETER,
            None,
            UNCONFIRMED,
            "S1 SoftwareTokenMfaSettingsType",
            "\"You can't turn off TOTP MFA for any of your users when MFA is required in"
            ' your user pool"; the error is a guess',
        ),
        _r(
            op,
            {"pref.enables_sms": True, "pool.sms": False},
            INVALID_PARAMETER,
            None,
            UNCONFIRMED,
            None,
            "SMS MFA turned on in a pool that does not offer it; the answer is a guess",
        ),
        _r(
            op,
            {},
            OK,
            {"mfa_methods": Copy("=pref.methods"), "preferred_mfa": Copy("=pref.preferred")},
            DOC,
            api,
            "only one method can be preferred; a method sent without PreferredMfa is no"
            " longer preferred (INFERRED)",
        ),
    ]


def _revoked(op: Op) -> Rule:
    return _r(
        op,
        {"tokens": Tokens.revoked},
        NOT_AUTHORIZED,
        None,
        DOC,
        "C1, S1, S9, I10",
        message=ACCESS_TOKEN_REVOKED,
    )


def _deleted(op: Op) -> list[Rule]:
    """A deleted user's access token: Cognito looks the user up first, so the user is
    not found, though the deletion made the token revoked too (E3)."""
    if op is Op.get_user:
        return [
            _r(
                op,
                {"status": NO_USER, "pool.prevent_user_existence_errors": LEGACY},
                NOT_FOUND,
                None,
                OBS,
                "E3",
                "the delete does not make the token revoked: the user is gone",
                message=USER_DOES_NOT_EXIST,
            ),
            _r(
                op,
                {"status": NO_USER},
                NOT_FOUND,
                None,
                INFERRED,
                "E3, C2",
                "no evidence under ENABLED (E3); PreventUserExistenceErrors covers"
                " authentication, confirmation and recovery (C2), not GetUser",
                message=USER_DOES_NOT_EXIST,
            ),
        ]
    api = SPEC[op].api
    return [
        _r(
            op,
            {"status": NO_USER, "pool.prevent_user_existence_errors": LEGACY},
            NOT_FOUND,
            None,
            INFERRED,
            f"E3, S1 {api}",
            '"User does not exist." observed with a deleted user\'s tokens (E3, refresh'
            " and GetUser); in this operation's error list",
            message=USER_DOES_NOT_EXIST,
        ),
        _r(
            op,
            {"status": NO_USER},
            NOT_FOUND,
            None,
            UNCONFIRMED,
            "E3",
            "no evidence under PreventUserExistenceErrors ENABLED; assumed as LEGACY: the"
            " setting covers sign-in, confirmation and recovery, not token calls",
            message=USER_DOES_NOT_EXIST,
        ),
    ]


def _needs_tokens(op: Op) -> list[Rule]:
    """An operation sent with the user's access token: n/a without one; a deleted user's
    token (E3); a revoked token (C1)."""
    return [_lacks(op), *_deleted(op), _revoked(op)]


def _self_service(op: Op) -> list[Rule]:
    """What every call authorized by the user's own access token answers before it does
    anything: n/a without a token, the deleted user's tokens, revoked tokens, a reset."""
    api = SPEC[op].api
    return [
        *_needs_tokens(op),
        _r(
            op,
            {"status": RR},
            RESET_REQUIRED_ERROR,
            None,
            UNCONFIRMED,
            f"S1 {api}",
            "in its error list (a reset leaves tokens valid, C4); not observed for it",
            message=RESET_REQUIRED_MESSAGE,
        ),
    ]


# AdminCreateUser's new user: FORCE_CHANGE_PASSWORD, enabled, the attributes the call
# set (S1 AdminCreateUser, S16).
CREATED: Mapping[str, Any] = {
    "status": FCP,
    "enabled": True,
    "email_verified": "=arg.email_verified",
    "has_email": "=arg.email",
    "tokens": Tokens.none,
    "challenge": None,
    "reset_code": False,
}


RULES: tuple[Rule, ...] = (
    # ------------------------------------------------------------ AdminCreateUser
    _r(
        Op.admin_create_user,
        {"status": NO_USER, "arg.message_action": "RESEND"},
        NOT_FOUND,
        None,
        OBS,
        "I8",
        message=USER_DOES_NOT_EXIST,
    ),
    _r(
        Op.admin_create_user,
        {"status": NO_USER, "gives_phone": True},
        "ok",
        {**CREATED, "has_phone": True, "phone_number_verified": "=arg.phone_verified"},
        DOC,
        "S1 AdminCreateUser, S16",
        "with a phone number: phone_number_verified only if the call sets it (R38:"
        " 'You must provide a value for phone_number when you want to set"
        " phone_number_verified to true')",
    ),
    _r(
        Op.admin_create_user,
        {"status": NO_USER},
        "ok",
        CREATED,
        DOC,
        "S1 AdminCreateUser, S16, seed-article step 1",
        "already confirmed; email_verified only if the call sets it",
    ),
    _r(
        Op.admin_create_user,
        {"status": FCP, "arg.message_action": "RESEND"},
        OK,
        {"challenge": None},
        DOC,
        "S1 AdminCreateUser",
        "new temporary password, invitation sent again",
    ),
    _r(
        Op.admin_create_user,
        {"status": CONF, "arg.message_action": "RESEND"},
        error("UnsupportedUserStateException"),
        None,
        OBS,
        "C7, S1",
        'weak: an application library written against real AWS maps it to "user already confirmed"',
    ),
    _r(
        Op.admin_create_user,
        {"arg.message_action": "RESEND"},
        error("UnsupportedUserStateException"),
        None,
        INFERRED,
        "S1, I8, C7",
        "as for a CONFIRMED user (C7); the error is in the API's list",
    ),
    _r(Op.admin_create_user, {}, error("UsernameExistsException"), None, OBS, "I8"),
    # ------------------------------------------------------------ AdminSetUserPassword
    _no_user(Op.admin_set_user_password),
    _r(
        Op.admin_set_user_password,
        {"arg.permanent": True, "status": (CONF, FCP, EXT)},
        OK,
        {"status": CONF},
        DOC,
        "S1 AdminSetUserPassword",
        "token revocation not documented (UNCONFIRMED)",
    ),
    _r(
        Op.admin_set_user_password,
        {"arg.permanent": True, "status": UNC},
        OK,
        {"status": CONF},
        OBS,
        "I5",
    ),
    _r(
        Op.admin_set_user_password,
        {"arg.permanent": True, "status": RR},
        OK,
        {"status": CONF},
        DOC,
        "S1 AdminSetUserPassword, C9",
        '"works on any user"; a permanent password makes the user CONFIRMED',
    ),
    _r(
        Op.admin_set_user_password,
        {"status": (CONF, FCP, EXT)},
        OK,
        {"status": FCP},
        DOC,
        "S1 AdminSetUserPassword, seed-article step 2",
    ),
    _r(Op.admin_set_user_password, {"status": UNC}, OK, {"status": FCP}, OBS, "I5"),
    _r(
        Op.admin_set_user_password,
        {"status": RR},
        OK,
        {"status": FCP},
        DOC,
        "S1 AdminSetUserPassword, C9",
        '"works on any user"; a temporary password means FORCE_CHANGE_PASSWORD',
    ),
    # ------------------------------------------------------------ AdminUpdateUserAttributes
    _no_user(Op.admin_update_user_attributes),
    _r(
        Op.admin_update_user_attributes,
        {"arg.new_email": True, "arg.email_verified": True},
        OK,
        {"has_email": True, "email_verified": True, "pending_email": False},
        DOC,
        "S1, S10",
        "an admin may mark the new address verified in the same call: no code is sent",
    ),
    _r(
        Op.admin_update_user_attributes,
        {
            "arg.new_email": True,
            "pool.verify_before_update": True,
            "email_verified": True,
        },
        OK,
        {"pending_email": True, "attribute_code": True},
        DOC,
        "S10, S1 AdminUpdateUserAttributes",
        "the old address stays, verified, until the new one is verified; a code goes to"
        " the new one",
    ),
    _r(
        Op.admin_update_user_attributes,
        {"arg.new_email": True, "pool.email_auto_verified": True},
        OK,
        {
            "has_email": True,
            "email_verified": False,
            "pending_email": False,
            "attribute_code": True,
        },
        DOC,
        "S10, S4",
        "the new address is unverified; the code mailed to it is INFERRED (the API says"
        " it 'might generate' a message; UpdateUserAttributes says it does)",
    ),
    _r(
        Op.admin_update_user_attributes,
        {"arg.new_email": True},
        OK,
        {"has_email": True, "email_verified": False, "pending_email": False},
        DOC,
        "S10, S4",
    ),
    _r(
        Op.admin_update_user_attributes,
        {"arg.email_verified": True, "pending_email": True},
        OK,
        {"email_verified": True, "pending_email": False},
        DOC,
        "S1 UserAttributeUpdateSettingsType",
        "email_verified=true verifies the pending address: it takes effect",
    ),
    _r(
        Op.admin_update_user_attributes,
        {"arg.email_verified": True},
        OK,
        {"email_verified": True},
        EX,
        "seed-article step 3, S1",
        "accepted even without an email attribute",
    ),
    _r(
        Op.admin_update_user_attributes,
        {"arg.email_verified": False},
        OK,
        {"email_verified": False},
        DOC,
        "S1",
    ),
    _r(
        Op.admin_update_user_attributes,
        {"arg.new_phone": True, "arg.phone_verified": True},
        OK,
        {"has_phone": True, "phone_number_verified": True, "phone_code": False},
        DOC,
        "S1 AdminUpdateUserAttributes, S10",
        "phone_number_verified=true in the same call: verified at once, no text",
    ),
    _r(
        Op.admin_update_user_attributes,
        {"arg.new_phone": True, "pool.phone_auto_verified": True},
        OK,
        {"has_phone": True, "phone_number_verified": False, "phone_code": True},
        DOC,
        "S10, S1 AdminUpdateUserAttributes",
        "the new number is unverified at once; the code texted to it is INFERRED (the"
        " API says it 'might generate' a message)",
    ),
    _r(
        Op.admin_update_user_attributes,
        {"arg.new_phone": True},
        OK,
        {"has_phone": True, "phone_number_verified": False, "phone_code": False},
        DOC,
        "S10",
        '"An email address or phone number attribute can become active and unverified'
        ' immediately after your user changes its value."',
    ),
    _r(
        Op.admin_update_user_attributes,
        {"arg.phone_verified": True},
        OK,
        {"phone_number_verified": True},
        DOC,
        "S1 AdminUpdateUserAttributes",
        "without a phone number UNCONFIRMED (for email it is accepted: seed-article step 3)",
    ),
    _r(
        Op.admin_update_user_attributes,
        {"arg.phone_verified": False},
        OK,
        {"phone_number_verified": False},
        DOC,
        "S1 AdminUpdateUserAttributes",
    ),
    # ------------------------------------------------------------ AdminInitiateAuth
    _flow_not_allowed(Op.admin_initiate_auth, "Auth flow not enabled for this client"),
    *_password_sign_in(Op.admin_initiate_auth, {}),
    # ------------------------------------------------------------ InitiateAuth
    _flow_not_allowed(Op.initiate_auth, "{arg.auth_flow} flow not enabled for this client"),
    *_password_sign_in(Op.initiate_auth, {"arg.auth_flow": PASSWORD_FLOWS}),
    # REFRESH_TOKEN_AUTH from here on (the password flows answered above)
    _lacks(Op.initiate_auth),
    _r(
        Op.initiate_auth,
        {"status": NO_USER, "pool.prevent_user_existence_errors": LEGACY},
        NOT_FOUND,
        None,
        OBS,
        "E3",
        "a deleted user's refresh token: the user is gone, not the token revoked",
        message=USER_DOES_NOT_EXIST,
    ),
    _r(
        Op.initiate_auth,
        {"status": NO_USER},
        NOT_AUTHORIZED,
        None,
        INFERRED,
        "S5, E3",
        "no evidence under ENABLED (E3); sign-in there hides whether the user exists (S5)",
    ),
    _r(
        Op.initiate_auth,
        {"tokens": Tokens.revoked},
        NOT_AUTHORIZED,
        None,
        DOC,
        "S9, I11, C1",
        "revoked refresh tokens are rejected",
        message=REFRESH_TOKEN_REVOKED,
    ),
    _r(Op.initiate_auth, {"enabled": False}, NOT_AUTHORIZED, None, OBS, "I11"),
    _r(
        Op.initiate_auth,
        {"status": RR},
        RESET_REQUIRED_ERROR,
        None,
        OBS,
        "E2",
        "an admin reset after sign-in: the refresh token no longer mints tokens",
        message=RESET_REQUIRED_MESSAGE,
    ),
    _r(
        Op.initiate_auth,
        {"status": CONF},
        TOKENS,
        SIGNED_IN,
        DOC,
        "S1 InitiateAuth",
        "new access and ID tokens; the refresh token stays",
    ),
    _r(
        Op.initiate_auth,
        {},
        TOKENS,
        SIGNED_IN,
        UNCONFIRMED,
        None,
        "refresh for a user whose status changed since sign-in",
    ),
    # ------------------------------------------------------------ RespondToAuthChallenge
    *_respond(Op.respond_to_auth_challenge),
    *_respond(Op.admin_respond_to_auth_challenge),
    # ------------------------------------------------------------ sign-out, tokens
    _no_user(Op.admin_user_global_sign_out),
    _r(
        Op.admin_user_global_sign_out,
        {},
        OK,
        None,
        DOC,
        "S1, S9",
        "access, ID and refresh tokens revoked; status unchanged",
    ),
    *_needs_tokens(Op.global_sign_out),
    _r(Op.global_sign_out, {}, OK, None, DOC, "S1, S9"),
    _lacks(Op.revoke_token),
    _r(Op.revoke_token, {"tokens": Tokens.revoked}, OK, None, UNCONFIRMED, None),
    _r(
        Op.revoke_token,
        {},
        OK,
        None,
        DOC,
        "S1, S9",
        "needs EnableTokenRevocation, on by default for new clients",
    ),
    *_needs_tokens(Op.get_user),
    _r(
        Op.get_user,
        {"status": RR},
        RESET_REQUIRED_ERROR,
        None,
        OBS,
        "C4, S1 GetUser",
        "a token from before AdminResetUserPassword: the reset does not revoke it",
        message=RESET_REQUIRED_MESSAGE,
    ),
    _r(Op.get_user, {}, OK, None, DOC, "S1 GetUser"),
    *_needs_tokens(Op.change_password),
    _r(
        Op.change_password,
        {"arg.wrong_password": True},
        NOT_AUTHORIZED,
        None,
        OBS,
        "amplify-js#1580",
        message=INCORRECT_PASSWORD,
    ),
    _r(
        Op.change_password,
        {"status": RR},
        RESET_REQUIRED_ERROR,
        None,
        UNCONFIRMED,
        "S1 ChangePassword",
        "in ChangePassword's error list; not observed",
        message=RESET_REQUIRED_MESSAGE,
    ),
    _r(
        Op.change_password,
        {"status": CONF},
        OK,
        None,
        DOC,
        "S1 ChangePassword",
        "status stays CONFIRMED; token revocation UNCONFIRMED",
    ),
    _r(Op.change_password, {}, OK, None, UNCONFIRMED, None),
    # ------------------------------------------------------------ self-service email
    *_self_service(Op.update_user_attributes),
    _r(
        Op.update_user_attributes,
        {"arg.new_email": True, "pool.verify_before_update": True, "email_verified": True},
        OK,
        {"pending_email": True, "attribute_code": True},
        DOC,
        "S1 UpdateUserAttributes, S10",
        "the old address stays, verified, until the new one is verified; a code goes to"
        " the new one",
    ),
    _r(
        Op.update_user_attributes,
        {"arg.new_email": True, "pool.email_auto_verified": True},
        OK,
        {
            "has_email": True,
            "email_verified": False,
            "pending_email": False,
            "attribute_code": True,
        },
        DOC,
        "S1 UpdateUserAttributes, S10",
        "the new address replaces the old, unverified; a code goes to it (CodeDeliveryDetailsList)",
    ),
    _r(
        Op.update_user_attributes,
        {"arg.new_email": True},
        OK,
        {"has_email": True, "email_verified": False, "pending_email": False},
        DOC,
        "S1 UpdateUserAttributes, S10",
        "the new address replaces the old, unverified; no code: email is not auto-verified",
    ),
    *_self_service(Op.get_user_attribute_verification_code),
    _r(
        Op.get_user_attribute_verification_code,
        {"arg.attribute": "phone_number", "has_phone": False},
        INVALID_PARAMETER,
        None,
        UNCONFIRMED,
        "S1 GetUserAttributeVerificationCode",
        "no phone number to text the code to; the error class (in its list) is a guess",
    ),
    _r(
        Op.get_user_attribute_verification_code,
        {"arg.attribute": "phone_number"},
        OK,
        {"phone_code": True},
        DOC,
        "S1 GetUserAttributeVerificationCode, S11",
        '"Only email and phone can be verified": a code is texted to the phone',
    ),
    _r(
        Op.get_user_attribute_verification_code,
        {"has_email": False},
        INVALID_PARAMETER,
        None,
        UNCONFIRMED,
        "S1 GetUserAttributeVerificationCode",
        "no email to send the code to; the error class (in its list) is a guess",
    ),
    _r(
        Op.get_user_attribute_verification_code,
        {"pool.email_auto_verified": True},
        OK,
        {"attribute_code": True},
        DOC,
        "S1 GetUserAttributeVerificationCode, S10",
        "a code goes to the email (to the pending new one, presumably, if there is one)",
    ),
    _r(
        Op.get_user_attribute_verification_code,
        {},
        OK,
        {"attribute_code": True},
        UNCONFIRMED,
        "S1 GetUserAttributeVerificationCode",
        "the API text does not limit it to auto-verified attributes; not observed in a"
        " pool that does not auto-verify email",
    ),
    *_self_service(Op.verify_user_attribute),
    _r(
        Op.verify_user_attribute,
        {"arg.wrong_code": True},
        CODE_MISMATCH,
        None,
        DOC,
        "S1 VerifyUserAttribute",
    ),
    _r(
        Op.verify_user_attribute,
        {"arg.attribute": "phone_number", "phone_code": False},
        CODE_MISMATCH,
        None,
        UNCONFIRMED,
        "S1 VerifyUserAttribute",
        "no code was texted, so the client makes one up; the error class is a guess",
    ),
    _r(
        Op.verify_user_attribute,
        {"arg.attribute": "phone_number"},
        OK,
        {"phone_number_verified": True, "phone_code": False},
        DOC,
        "S1 VerifyUserAttribute",
        '"the attribute email_verified or phone_number_verified becomes true"',
    ),
    _r(
        Op.verify_user_attribute,
        {"attribute_code": False},
        CODE_MISMATCH,
        None,
        UNCONFIRMED,
        "S1 VerifyUserAttribute",
        "no code was sent, so the client makes one up; the error class is a guess",
    ),
    _r(
        Op.verify_user_attribute,
        {"pool.email_auto_verified": True, "pending_email": True},
        OK,
        {
            "has_email": True,
            "email_verified": True,
            "pending_email": False,
            "attribute_code": False,
        },
        DOC,
        "S1 VerifyUserAttribute, S10",
        "the pending new address takes effect, verified",
    ),
    _r(
        Op.verify_user_attribute,
        {"pool.email_auto_verified": True},
        OK,
        {"email_verified": True, "attribute_code": False},
        DOC,
        "S1 VerifyUserAttribute, S10",
    ),
    _r(
        Op.verify_user_attribute,
        {},
        OK,
        {"email_verified": True, "attribute_code": False},
        UNCONFIRMED,
        "S1 VerifyUserAttribute",
        "the API speaks of auto-verified attributes only; email is not one in this pool",
    ),
    # ------------------------------------------------------------ TOTP and MFA preferences
    *_totp(Op.associate_software_token),
    *_totp(Op.verify_software_token),
    *_preference(Op.set_user_mfa_preference),
    *_preference(Op.admin_set_user_mfa_preference),
    # ------------------------------------------------------------ sign-up
    _r(
        Op.sign_up,
        {"status": NO_USER, "gives_phone": True},
        OK,
        {
            "status": UNC,
            "enabled": True,
            "email_verified": False,
            "has_email": True,
            "tokens": Tokens.none,
            "challenge": None,
            "reset_code": False,
            "has_phone": True,
            "phone_number_verified": False,
        },
        DOC,
        "S1 SignUp, S4",
        "with a phone number (the pool signs in with it or requires it); a code goes to"
        " the auto-verified attribute, to the phone when both are",
    ),
    _r(
        Op.sign_up,
        {"status": NO_USER},
        OK,
        {
            "status": UNC,
            "enabled": True,
            "email_verified": False,
            "has_email": True,
            "tokens": Tokens.none,
            "challenge": None,
            "reset_code": False,
        },
        DOC,
        "S1 SignUp, S4",
        "code sent to the auto-verified attribute",
    ),
    _r(
        Op.sign_up,
        {},
        error("UsernameExistsException"),
        None,
        DOC,
        "S1, S5",
        "even with PreventUserExistenceErrors",
    ),
    _r(
        Op.confirm_sign_up,
        {"status": NO_USER, "pool.prevent_user_existence_errors": LEGACY},
        NOT_FOUND,
        None,
        DOC,
        "C2, S1 UpdateUserPoolClient, S5",
        message=USER_DOES_NOT_EXIST,
    ),
    _r(Op.confirm_sign_up, {"status": NO_USER}, CODE_MISMATCH, None, UNCONFIRMED, "S5"),
    _r(
        Op.confirm_sign_up,
        {"status": (CONF, FCP, RR, EXT)},
        NOT_AUTHORIZED,
        None,
        OBS,
        "I6, C6",
        message=CANNOT_BE_CONFIRMED,
    ),
    _r(Op.confirm_sign_up, {"arg.wrong_code": True}, CODE_MISMATCH, None, DOC, "S1"),
    _r(
        Op.confirm_sign_up,
        {"signup_code_to": None},
        CODE_MISMATCH,
        None,
        INFERRED,
        "S4, S10",
        "no attribute is auto-verified, so no code was ever sent",
    ),
    _r(
        Op.confirm_sign_up,
        {"signup_code_to": "phone"},
        OK,
        {"status": CONF, "phone_number_verified": True},
        DOC,
        "S4",
        "the code was texted: the phone number is marked verified (it wins when email is"
        " auto-verified too)",
    ),
    _r(
        Op.confirm_sign_up,
        {},
        OK,
        {"status": CONF, "email_verified": True},
        DOC,
        "S4, S11",
        "the code verifies the address it was sent to",
    ),
    _no_user(Op.admin_confirm_sign_up),
    _r(
        Op.admin_confirm_sign_up,
        {"status": UNC},
        OK,
        {"status": CONF},
        DOC,
        "S4, S11",
        "confirms without verifying the email",
    ),
    _r(
        Op.admin_confirm_sign_up,
        {"status": CONF},
        NOT_AUTHORIZED,
        None,
        OBS,
        "C5",
        message=CANNOT_BE_CONFIRMED,
    ),
    _r(
        Op.admin_confirm_sign_up,
        {},
        NOT_AUTHORIZED,
        None,
        INFERRED,
        "C5, C6, I6",
        "as for a CONFIRMED user (C5) and as ConfirmSignUp answers (C6)",
        message=CANNOT_BE_CONFIRMED,
    ),
    _r(
        Op.resend_confirmation_code,
        {"status": NO_USER, "pool.prevent_user_existence_errors": LEGACY},
        NOT_FOUND,
        None,
        DOC,
        "C2, S5",
        message=USER_DOES_NOT_EXIST,
    ),
    _r(
        Op.resend_confirmation_code,
        {"status": NO_USER},
        OK,
        None,
        DOC,
        "S5",
        "simulated CodeDeliveryDetails",
        simulated=True,
    ),
    _r(
        Op.resend_confirmation_code,
        {"enabled": False, "pool.prevent_user_existence_errors": ENABLED},
        OK,
        None,
        DOC,
        "S5",
        "simulated CodeDeliveryDetails",
        simulated=True,
    ),
    _r(Op.resend_confirmation_code, {"status": UNC}, OK, None, DOC, "S1"),
    _r(
        Op.resend_confirmation_code,
        {"pool.prevent_user_existence_errors": LEGACY},
        INVALID_PARAMETER,
        None,
        OBS,
        "I7, C11",
        message=ALREADY_CONFIRMED,
    ),
    _r(
        Op.resend_confirmation_code,
        {},
        INVALID_PARAMETER,
        None,
        UNCONFIRMED,
        "I7, C11",
        "observed under LEGACY; under ENABLED possibly a simulated success"
        " (C11: amplify-js#14762, pool settings unknown)",
        message=ALREADY_CONFIRMED,
    ),
    # ------------------------------------------------------------ password recovery
    _r(
        Op.forgot_password,
        {"status": NO_USER, "pool.prevent_user_existence_errors": LEGACY},
        NOT_FOUND,
        None,
        DOC,
        "S5",
        message=USER_DOES_NOT_EXIST,
    ),
    _r(
        Op.forgot_password,
        {"status": NO_USER},
        OK,
        None,
        DOC,
        "S5",
        "simulated CodeDeliveryDetails, no code",
        simulated=True,
    ),
    _r(
        Op.forgot_password,
        {"enabled": False, "pool.prevent_user_existence_errors": LEGACY},
        NOT_AUTHORIZED,
        None,
        DISPUTED,
        "D2, I1, amazon-cognito-identity-js#373",
        "by analogy: sign-in (I1) and AdminResetUserPassword (amazon-cognito-identity-js#373)"
        ' answer "User is disabled."; the one direct observation (I15, 2016) got a generic'
        " error",
        message=USER_IS_DISABLED,
        alternative=Alternative(
            error("ResourceNotFoundException"),
            "I15, D2",
            "Username/client id combination not found.",
        ),
    ),
    _r(
        Op.forgot_password,
        {"enabled": False},
        OK,
        None,
        DOC,
        "S5",
        "simulated, no code",
        simulated=True,
    ),
    _r(
        Op.forgot_password,
        {"status": FCP, "pool.prevent_user_existence_errors": LEGACY},
        NOT_AUTHORIZED,
        None,
        OBS,
        "I3, S17, E4",
        message=CANNOT_BE_RESET,
    ),
    _r(
        Op.forgot_password,
        {"status": FCP},
        OK,
        None,
        OBS,
        "E4",
        "ENABLED: the simulated CodeDeliveryDetails; no code is sent, status unchanged",
        simulated=True,
    ),
    _r(
        Op.forgot_password,
        {"recovery": None, "pool.prevent_user_existence_errors": LEGACY},
        INVALID_PARAMETER,
        None,
        DOC,
        "S1, S17",
        "no verified email or phone to send the code to (AccountRecoverySetting decides"
        " which qualify)",
        message=NO_VERIFIED_CONTACT,
    ),
    _r(
        Op.forgot_password,
        {"recovery": None},
        OK,
        None,
        DOC,
        "S5",
        "simulated, no code",
        simulated=True,
    ),
    _r(
        Op.forgot_password,
        {"recovery": "phone"},
        OK,
        None,
        DOC,
        "S1 AccountRecoverySetting, S8",
        "the code is texted to the verified phone: first in the pool's priority order"
        " (legacy, unset: phone before email)",
    ),
    _r(
        Op.forgot_password,
        {},
        OK,
        None,
        OBS,
        "I16, S8, C10",
        "code valid 1 hour; status unchanged",
    ),
    _r(
        Op.confirm_forgot_password,
        {"status": NO_USER, "pool.prevent_user_existence_errors": LEGACY},
        NOT_FOUND,
        None,
        DOC,
        "C2, S1 UpdateUserPoolClient",
        message=USER_DOES_NOT_EXIST,
    ),
    _r(Op.confirm_forgot_password, {"status": NO_USER}, CODE_MISMATCH, None, DOC, "S5"),
    _r(
        Op.confirm_forgot_password,
        {"enabled": False, "pool.prevent_user_existence_errors": ENABLED},
        CODE_MISMATCH,
        None,
        DOC,
        "S5",
    ),
    _r(
        Op.confirm_forgot_password,
        {"enabled": False},
        NOT_AUTHORIZED,
        None,
        INFERRED,
        "I3",
    ),
    _r(
        Op.confirm_forgot_password,
        {"reset_code": False},
        error("ExpiredCodeException"),
        None,
        DOC,
        "S5",
        "no code was requested",
    ),
    _r(
        Op.confirm_forgot_password,
        {"arg.wrong_code": True},
        CODE_MISMATCH,
        None,
        DOC,
        "S1, E5",
        "a wrong code, also after AdminResetUserPassword (E5): not ExpiredCodeException",
    ),
    _r(
        Op.confirm_forgot_password,
        {"status": RR},
        OK,
        {"status": CONF},
        DOC,
        "S13, S3, E5",
        "the code from ForgotPassword or from AdminResetUserPassword (E5)",
    ),
    _r(Op.confirm_forgot_password, {"status": CONF}, OK, None, DOC, "S8"),
    _r(
        Op.confirm_forgot_password,
        {},
        OK,
        {"status": CONF},
        UNCONFIRMED,
        None,
    ),
    _no_user(Op.admin_reset_user_password),
    _r(
        Op.admin_reset_user_password,
        {"enabled": False},
        NOT_AUTHORIZED,
        None,
        OBS,
        "amazon-cognito-identity-js#373",
        "enable first",
        message=USER_IS_DISABLED,
    ),
    _r(
        Op.admin_reset_user_password,
        {"status": FCP},
        NOT_AUTHORIZED,
        None,
        OBS,
        "I4, C3",
        message=CANNOT_BE_RESET,
    ),
    _r(
        Op.admin_reset_user_password,
        {"status": UNC},
        NOT_AUTHORIZED,
        None,
        UNCONFIRMED,
        None,
    ),
    _r(
        Op.admin_reset_user_password,
        {"recovery": None},
        INVALID_PARAMETER,
        None,
        OBS,
        "E1",
        "no verified email or phone to send the code to (AccountRecoverySetting decides"
        " which qualify): nothing changes",
        message=NO_VERIFIED_CONTACT,
    ),
    _r(
        Op.admin_reset_user_password,
        {},
        OK,
        {"status": RR},
        DOC,
        "S3, S14, E5",
        "deactivates the password and sends a reset code (valid 1 hour) that"
        " ConfirmForgotPassword checks; tokens are not revoked (C4)",
    ),
    # ------------------------------------------------------------ enable, disable, delete
    _no_user(Op.admin_disable_user),
    _r(
        Op.admin_disable_user,
        {},
        OK,
        {"enabled": False},
        DOC,
        "S1 AdminDisableUser, I11",
        "revokes access tokens; status unchanged",
    ),
    _no_user(Op.admin_enable_user),
    _r(
        Op.admin_enable_user,
        {},
        OK,
        {"enabled": True},
        DOC,
        "S1 AdminEnableUser",
        "revoked tokens stay revoked (INFERRED)",
    ),
    _no_user(Op.admin_delete_user),
    _r(
        Op.admin_delete_user,
        {},
        OK,
        GONE,
        DOC,
        "S1 AdminDeleteUser",
        "the user's tokens then answer UserNotFoundException (E3)",
    ),
    *_self_service(Op.delete_user),
    _r(
        Op.delete_user,
        {},
        OK,
        GONE,
        DOC,
        "S1 DeleteUser",
        '"can no longer be used to sign in and can\'t be restored"; its tokens: E3',
    ),
)

FALLBACK = Rule(Op.get_user, {}, OK, {}, UNCONFIRMED, None, "no rule covers this case")


def rules_for(op: Op) -> tuple[Rule, ...]:
    return tuple(rule for rule in RULES if rule.op is op)


def confidence_counts() -> Counter[str]:
    return Counter(str(rule.confidence) for rule in RULES)


def cited_by_rules() -> tuple[str, ...]:
    """Every source id some rule cites, each once, in the order the rules cite them."""
    seen: dict[str, None] = {}
    for rule in RULES:
        seen.update(dict.fromkeys(rule.sources))
    return tuple(seen)


# Each id a rule may cite, with its URL (or its title where it has none).
SOURCES: Mapping[str, str] = {s.id: s.url or s.title for s in all_sources().values()}
