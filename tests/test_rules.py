"""Rules, tested by behaviour against the reference notes (`cognito-states sources`; not against
rules.py): each case is a tiny scenario run on the model backend, with the status and
outcome the reference states and the source it states them in. Then the table's shape.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any

import pytest

from cognito_states.model import CognitoModel, UserState
from cognito_states.operations import Op
from cognito_states.rules import FALLBACK, RULES, SOURCES, Rule, rules_for
from cognito_states.scenario import Pool, Step, keywords_of, step
from cognito_states.sources import unlisted_in
from cognito_states.statuses import (
    MODEL_STATES,
    NO_USER,
    Confidence,
    Status,
    Tokens,
)

FCP = "FORCE_CHANGE_PASSWORD"
CONF = "CONFIRMED"
UNC = "UNCONFIRMED"
RR = "RESET_REQUIRED"
NOT_AUTH = "error:NotAuthorizedException"
NOT_FOUND = "error:UserNotFoundException"
INVALID = "error:InvalidParameterException"
NPR = "challenge:NEW_PASSWORD_REQUIRED"

LEGACY = Pool(prevent_user_existence_errors="LEGACY")
ENABLED = Pool(prevent_user_existence_errors="ENABLED")
AUTO = Pool(auto_verified_attributes=["email"])
AUTO_ENABLED = Pool(auto_verified_attributes=["email"], prevent_user_existence_errors="ENABLED")
VERIFY_FIRST = Pool(
    auto_verified_attributes=["email"], attributes_require_verification_before_update=["email"]
)


def _created() -> list[Step]:
    return [step.admin_create_user()]


def _confirmed(**create: Any) -> list[Step]:
    """An admin-created user with a permanent password: CONFIRMED."""
    return [step.admin_create_user(**create), step.admin_set_user_password(permanent=True)]


def _signed_in() -> list[Step]:
    return [*_confirmed(), step.initiate_auth()]


def _signed_in_verified() -> list[Step]:
    """Signed in, holding tokens, with a verified email."""
    return [*_confirmed(email_verified=True), step.initiate_auth()]


def _changed_email() -> list[Step]:
    return [*_signed_in_verified(), step.update_user_attributes(new_email=True)]


def _signed_up() -> list[Step]:
    return [step.sign_up()]


def _reset() -> list[Step]:
    return [*_confirmed(email_verified=True), step.admin_reset_user_password()]


@dataclass(frozen=True)
class Case:
    """Steps, then what the reference says the last step answers and leaves behind."""

    id: str
    source: str  # the reference's source id for the last step's behaviour
    steps: list[Step]
    outcome: str
    status: str | None
    pool: Pool = field(default_factory=Pool)
    enabled: bool | None = None  # checked when not None
    email_verified: bool | None = None  # checked when not None
    required_attributes: list[str] | None = None  # checked when not None


CASES = [
    # -------------------------------------------------------------- AdminCreateUser
    Case(
        "S1-AdminCreateUser-FORCE_CHANGE_PASSWORD",
        "S1",
        _created(),
        "ok",
        FCP,
        enabled=True,
        email_verified=False,
    ),
    Case("S16-AdminCreateUser-enabled", "S16", _created(), "ok", FCP, enabled=True),
    Case(
        "S1-AdminCreateUser-email_verified-set",
        "S1",
        [step.admin_create_user(email_verified=True)],
        "ok",
        FCP,
        email_verified=True,
    ),
    Case(
        "I8-AdminCreateUser-existing-UsernameExists",
        "I8",
        [*_created(), step.admin_create_user()],
        "error:UsernameExistsException",
        FCP,
    ),
    Case(
        "I8-AdminCreateUser-RESEND-unknown-user",
        "I8",
        [step.admin_create_user(message_action="RESEND")],
        NOT_FOUND,
        None,
    ),
    Case(
        "S1-AdminCreateUser-RESEND-FORCE_CHANGE_PASSWORD",
        "S1",
        [*_created(), step.admin_create_user(message_action="RESEND")],
        "ok",
        FCP,
    ),
    # -------------------------------------------------------------- AdminSetUserPassword
    Case("S1-AdminSetUserPassword-permanent", "S1", _confirmed(), "ok", CONF),
    Case(
        "S1-AdminSetUserPassword-temporary",
        "S1",
        [*_created(), step.admin_set_user_password()],
        "ok",
        FCP,
    ),
    Case(
        "S1-AdminSetUserPassword-temporary-from-CONFIRMED",
        "S1",
        [*_confirmed(), step.admin_set_user_password(permanent=False)],
        "ok",
        FCP,
    ),
    Case(
        "I5-AdminSetUserPassword-permanent-from-UNCONFIRMED",
        "I5",
        [*_signed_up(), step.admin_set_user_password(permanent=True)],
        "ok",
        CONF,
        pool=AUTO,
    ),
    Case(
        "I5-AdminSetUserPassword-temporary-from-UNCONFIRMED",
        "I5",
        [*_signed_up(), step.admin_set_user_password()],
        "ok",
        FCP,
        pool=AUTO,
    ),
    Case(
        "S1-AdminSetUserPassword-deleted-user",
        "S1",
        [*_created(), step.admin_delete_user(), step.admin_set_user_password()],
        NOT_FOUND,
        None,
    ),
    # -------------------------------------------------------------- sign-in per status
    Case(
        "S16-sign-in-CONFIRMED-tokens",
        "S16",
        [*_confirmed(), step.admin_initiate_auth()],
        "tokens",
        CONF,
    ),
    Case("S16-InitiateAuth-CONFIRMED-tokens", "S16", _signed_in(), "tokens", CONF),
    Case(
        "S15-sign-in-FORCE_CHANGE_PASSWORD-challenge",
        "S15",
        [*_created(), step.admin_initiate_auth()],
        NPR,
        FCP,
        required_attributes=[],
    ),
    Case(
        "S15-InitiateAuth-FORCE_CHANGE_PASSWORD-challenge",
        "S15",
        [*_created(), step.initiate_auth()],
        NPR,
        FCP,
        required_attributes=[],
    ),
    Case(
        "seed-article-step-4-requiredAttributes-email",
        "seed-article",
        [step.admin_create_user(email=False), step.admin_initiate_auth()],
        NPR,
        FCP,
        pool=Pool(required_attributes=["email"]),
        required_attributes=["userAttributes.email"],
    ),
    Case(
        "S15-required-email-present-nothing-required",
        "S15",
        [step.admin_create_user(email=True), step.admin_initiate_auth()],
        NPR,
        FCP,
        pool=Pool(required_attributes=["email"]),
        required_attributes=[],
    ),
    Case(
        "S15-email-not-required-nothing-required",
        "S15",
        [step.admin_create_user(email=False), step.admin_initiate_auth()],
        NPR,
        FCP,
        required_attributes=[],
    ),
    Case(
        "I2-sign-in-UNCONFIRMED",
        "I2",
        [*_signed_up(), step.initiate_auth()],
        "error:UserNotConfirmedException",
        UNC,
        pool=AUTO,
    ),
    Case(
        "I2-AdminInitiateAuth-UNCONFIRMED",
        "I2",
        [*_signed_up(), step.admin_initiate_auth()],
        "error:UserNotConfirmedException",
        UNC,
        pool=AUTO,
    ),
    Case(
        "I2-UNCONFIRMED-even-with-wrong-password",
        "I2",
        [*_signed_up(), step.initiate_auth(wrong_password=True)],
        "error:UserNotConfirmedException",
        UNC,
        pool=AUTO,
    ),
    Case(
        "S13-sign-in-RESET_REQUIRED-LEGACY",
        "S13",
        [*_reset(), step.admin_initiate_auth()],
        "error:PasswordResetRequiredException",
        RR,
        pool=LEGACY,
    ),
    Case(
        "S13-InitiateAuth-RESET_REQUIRED-LEGACY",
        "S13",
        [*_reset(), step.initiate_auth()],
        "error:PasswordResetRequiredException",
        RR,
        pool=LEGACY,
    ),
    Case(
        "S5-sign-in-RESET_REQUIRED-ENABLED",
        "S5",
        [*_reset(), step.admin_initiate_auth()],
        NOT_AUTH,
        RR,
        pool=ENABLED,
    ),
    Case(
        "I1-sign-in-disabled",
        "I1",
        [*_confirmed(), step.admin_disable_user(), step.admin_initiate_auth()],
        NOT_AUTH,
        CONF,
        enabled=False,
    ),
    Case(
        "I1-InitiateAuth-disabled",
        "I1",
        [*_confirmed(), step.admin_disable_user(), step.initiate_auth()],
        NOT_AUTH,
        CONF,
        enabled=False,
    ),
    Case(
        "S12-wrong-password",
        "S12",
        [*_confirmed(), step.admin_initiate_auth(wrong_password=True)],
        NOT_AUTH,
        CONF,
        enabled=True,
    ),
    Case(
        "S12-InitiateAuth-wrong-password",
        "S12",
        [*_confirmed(), step.initiate_auth(wrong_password=True)],
        NOT_AUTH,
        CONF,
    ),
    Case(
        "S12-SRP-wrong-password",
        "S12",
        [*_confirmed(), step.initiate_auth(auth_flow="USER_SRP_AUTH", wrong_password=True)],
        NOT_AUTH,
        CONF,
    ),
    Case(
        "S5-sign-in-deleted-LEGACY",
        "S5",
        [*_confirmed(), step.admin_delete_user(), step.admin_initiate_auth()],
        NOT_FOUND,
        None,
        pool=LEGACY,
    ),
    Case(
        "S5-InitiateAuth-deleted-LEGACY",
        "S5",
        [*_confirmed(), step.admin_delete_user(), step.initiate_auth()],
        NOT_FOUND,
        None,
        pool=LEGACY,
    ),
    Case(
        "S5-sign-in-deleted-ENABLED",
        "S5",
        [*_confirmed(), step.admin_delete_user(), step.admin_initiate_auth()],
        NOT_AUTH,
        None,
        pool=ENABLED,
    ),
    Case(
        "S5-InitiateAuth-deleted-ENABLED",
        "S5",
        [*_confirmed(), step.admin_delete_user(), step.initiate_auth()],
        NOT_AUTH,
        None,
        pool=ENABLED,
    ),
    Case(
        "S1-ExplicitAuthFlows-admin-flow-not-allowed",
        "S1",
        [*_confirmed(), step.admin_initiate_auth()],
        INVALID,
        CONF,
        pool=Pool(auth_flows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]),
    ),
    Case(
        "S1-ExplicitAuthFlows-user-flow-not-allowed",
        "S1",
        [*_confirmed(), step.initiate_auth(auth_flow="USER_PASSWORD_AUTH")],
        INVALID,
        CONF,
        pool=Pool(auth_flows=["ALLOW_ADMIN_USER_PASSWORD_AUTH"]),
    ),
    Case(
        "S1-ExplicitAuthFlows-srp-not-allowed",
        "S1",
        [*_confirmed(), step.initiate_auth(auth_flow="USER_SRP_AUTH")],
        INVALID,
        CONF,
        pool=Pool(auth_flows=["ALLOW_USER_PASSWORD_AUTH"]),
    ),
    # -------------------------------------------------------------- NEW_PASSWORD_REQUIRED
    Case(
        "S7-AdminRespondToAuthChallenge-CONFIRMED",
        "S7",
        [*_created(), step.admin_initiate_auth(), step.admin_respond_to_auth_challenge()],
        "tokens",
        CONF,
    ),
    Case(
        "S7-RespondToAuthChallenge-CONFIRMED",
        "S7",
        [*_created(), step.initiate_auth(), step.respond_to_auth_challenge()],
        "tokens",
        CONF,
    ),
    Case(
        "S7-respond-with-missing-required-email",
        "S7",
        [
            step.admin_create_user(email=False),
            step.admin_initiate_auth(),
            step.admin_respond_to_auth_challenge(),
        ],
        "tokens",
        CONF,
        pool=Pool(required_attributes=["email"]),
    ),
    Case(
        "S1-respond-without-challenge-n/a",
        "S1",
        [*_created(), step.respond_to_auth_challenge()],
        "n/a",
        FCP,
    ),
    # -------------------------------------------------------------- tokens and sign-out
    Case("S1-GetUser-signed-in", "S1", [*_signed_in(), step.get_user()], "ok", CONF),
    Case("S1-GetUser-without-tokens-n/a", "S1", [*_confirmed(), step.get_user()], "n/a", CONF),
    Case(
        "S1-GlobalSignOut-without-tokens-n/a",
        "S1",
        [*_confirmed(), step.global_sign_out()],
        "n/a",
        CONF,
    ),
    Case(
        "S9-GlobalSignOut-keeps-status",
        "S9",
        [*_signed_in(), step.global_sign_out()],
        "ok",
        CONF,
        enabled=True,
    ),
    Case(
        "I10-GlobalSignOut-then-GetUser",
        "I10",
        [*_signed_in(), step.global_sign_out(), step.get_user()],
        NOT_AUTH,
        CONF,
    ),
    Case(
        "S9-GlobalSignOut-then-refresh",
        "S9",
        [*_signed_in(), step.global_sign_out(), step.initiate_auth(auth_flow="REFRESH_TOKEN_AUTH")],
        NOT_AUTH,
        CONF,
    ),
    Case(
        "I10-AdminUserGlobalSignOut-then-GetUser",
        "I10",
        [*_signed_in(), step.admin_user_global_sign_out(), step.get_user()],
        NOT_AUTH,
        CONF,
    ),
    Case(
        "S9-AdminUserGlobalSignOut-then-refresh",
        "S9",
        [
            *_signed_in(),
            step.admin_user_global_sign_out(),
            step.initiate_auth(auth_flow="REFRESH_TOKEN_AUTH"),
        ],
        NOT_AUTH,
        CONF,
    ),
    Case(
        "S9-sign-in-again-after-sign-out",
        "S16",
        [*_signed_in(), step.global_sign_out(), step.initiate_auth()],
        "tokens",
        CONF,
    ),
    Case(
        "S1-refresh-signed-in-tokens",
        "S1",
        [*_signed_in(), step.initiate_auth(auth_flow="REFRESH_TOKEN_AUTH")],
        "tokens",
        CONF,
    ),
    Case(
        "S1-refresh-without-tokens-n/a",
        "S1",
        [*_confirmed(), step.initiate_auth(auth_flow="REFRESH_TOKEN_AUTH")],
        "n/a",
        CONF,
    ),
    Case(
        "S9-RevokeToken-then-refresh",
        "S9",
        [*_signed_in(), step.revoke_token(), step.initiate_auth(auth_flow="REFRESH_TOKEN_AUTH")],
        NOT_AUTH,
        CONF,
    ),
    Case(
        "I11-refresh-after-disable",
        "I11",
        [
            *_signed_in(),
            step.admin_disable_user(),
            step.initiate_auth(auth_flow="REFRESH_TOKEN_AUTH"),
        ],
        NOT_AUTH,
        CONF,
        enabled=False,
    ),
    Case(
        "I10-AdminDisableUser-revokes-access-token",
        "I10",
        [*_signed_in(), step.admin_disable_user(), step.admin_enable_user(), step.get_user()],
        NOT_AUTH,
        CONF,
        enabled=True,
    ),
    # -------------------------------------------------------------- ChangePassword
    Case("S1-ChangePassword-CONFIRMED", "S1", [*_signed_in(), step.change_password()], "ok", CONF),
    Case(
        "amplify-js#1580-ChangePassword-wrong-password",
        "amplify-js#1580",
        [*_signed_in(), step.change_password(wrong_password=True)],
        NOT_AUTH,
        CONF,
    ),
    Case(
        "S1-ChangePassword-without-tokens-n/a",
        "S1",
        [*_confirmed(), step.change_password()],
        "n/a",
        CONF,
    ),
    # -------------------------------------------------------------- sign-up and confirmation
    Case(
        "S4-SignUp-UNCONFIRMED",
        "S4",
        _signed_up(),
        "ok",
        UNC,
        pool=AUTO,
        enabled=True,
        email_verified=False,
    ),
    Case(
        "S5-SignUp-existing-UsernameExists-even-ENABLED",
        "S5",
        [*_signed_up(), step.sign_up()],
        "error:UsernameExistsException",
        UNC,
        pool=AUTO_ENABLED,
    ),
    Case(
        "S4-ConfirmSignUp-verifies-email",
        "S4",
        [*_signed_up(), step.confirm_sign_up()],
        "ok",
        CONF,
        pool=AUTO,
        email_verified=True,
    ),
    Case(
        "S4-AdminConfirmSignUp-does-not-verify-email",
        "S4",
        [*_signed_up(), step.admin_confirm_sign_up()],
        "ok",
        CONF,
        pool=AUTO,
        email_verified=False,
    ),
    Case(
        "S1-ConfirmSignUp-wrong-code",
        "S1",
        [*_signed_up(), step.confirm_sign_up(wrong_code=True)],
        "error:CodeMismatchException",
        UNC,
        pool=AUTO,
    ),
    Case(
        "I6-ConfirmSignUp-already-CONFIRMED",
        "I6",
        [*_signed_up(), step.admin_confirm_sign_up(), step.confirm_sign_up()],
        NOT_AUTH,
        CONF,
        pool=AUTO,
    ),
    Case(
        "S1-ResendConfirmationCode-UNCONFIRMED",
        "S1",
        [*_signed_up(), step.resend_confirmation_code()],
        "ok",
        UNC,
        pool=AUTO,
    ),
    Case(
        "I7-ResendConfirmationCode-already-confirmed",
        "I7",
        [*_signed_up(), step.admin_confirm_sign_up(), step.resend_confirmation_code()],
        INVALID,
        CONF,
        pool=AUTO,
    ),
    # -------------------------------------------------------------- password recovery
    Case(
        "I3-ForgotPassword-FORCE_CHANGE_PASSWORD",
        "I3",
        [step.admin_create_user(email_verified=True), step.forgot_password()],
        NOT_AUTH,
        FCP,
    ),
    Case(
        "S17-ForgotPassword-no-verified-email-LEGACY",
        "S17",
        [*_signed_up(), step.admin_confirm_sign_up(), step.forgot_password()],
        INVALID,
        CONF,
        pool=AUTO,
    ),
    Case(
        "S5-ForgotPassword-no-verified-email-ENABLED-simulated",
        "S5",
        [*_signed_up(), step.admin_confirm_sign_up(), step.forgot_password()],
        "ok",
        CONF,
        pool=AUTO_ENABLED,
    ),
    Case(
        "I16-ForgotPassword-keeps-status",
        "I16",
        [*_confirmed(email_verified=True), step.forgot_password()],
        "ok",
        CONF,
    ),
    Case(
        "D2-ForgotPassword-disabled-LEGACY",
        "D2",
        [*_confirmed(email_verified=True), step.admin_disable_user(), step.forgot_password()],
        NOT_AUTH,
        CONF,
        pool=LEGACY,
    ),
    Case(
        "S5-ForgotPassword-disabled-ENABLED-simulated",
        "S5",
        [*_confirmed(email_verified=True), step.admin_disable_user(), step.forgot_password()],
        "ok",
        CONF,
        pool=ENABLED,
    ),
    Case(
        "S5-ForgotPassword-unknown-user-LEGACY",
        "S5",
        [*_created(), step.admin_delete_user(), step.forgot_password()],
        NOT_FOUND,
        None,
        pool=LEGACY,
    ),
    Case(
        "S13-ConfirmForgotPassword-RESET_REQUIRED-to-CONFIRMED",
        "S13",
        [*_reset(), step.forgot_password(), step.confirm_forgot_password()],
        "ok",
        CONF,
    ),
    Case(
        "S8-ConfirmForgotPassword-CONFIRMED",
        "S8",
        [*_confirmed(email_verified=True), step.forgot_password(), step.confirm_forgot_password()],
        "ok",
        CONF,
    ),
    Case(
        "S1-ConfirmForgotPassword-wrong-code",
        "S1",
        [
            *_confirmed(email_verified=True),
            step.forgot_password(),
            step.confirm_forgot_password(wrong_code=True),
        ],
        "error:CodeMismatchException",
        CONF,
    ),
    Case(
        "S5-ConfirmForgotPassword-no-code-requested",
        "S5",
        [*_confirmed(email_verified=True), step.confirm_forgot_password()],
        "error:ExpiredCodeException",
        CONF,
        pool=ENABLED,
    ),
    Case(
        "S5-ConfirmForgotPassword-unknown-user-ENABLED",
        "S5",
        [*_created(), step.admin_delete_user(), step.confirm_forgot_password()],
        "error:CodeMismatchException",
        None,
        pool=ENABLED,
    ),
    Case(
        "S13-sign-in-after-recovery",
        "S16",
        [
            *_reset(),
            step.forgot_password(),
            step.confirm_forgot_password(),
            step.admin_initiate_auth(),
        ],
        "tokens",
        CONF,
    ),
    # -------------------------------------------------------------- AdminResetUserPassword
    Case("S3-AdminResetUserPassword-RESET_REQUIRED", "S3", _reset(), "ok", RR),
    Case(
        "amazon-cognito-identity-js#373-AdminResetUserPassword-disabled",
        "amazon-cognito-identity-js#373",
        [*_confirmed(), step.admin_disable_user(), step.admin_reset_user_password()],
        NOT_AUTH,
        CONF,
        enabled=False,
    ),
    Case(
        "I4-AdminResetUserPassword-FORCE_CHANGE_PASSWORD",
        "I4",
        [*_created(), step.admin_reset_user_password()],
        NOT_AUTH,
        FCP,
    ),
    # -------------------------------------------------------------- attributes
    Case(
        "seed-article-step-3-email_verified",
        "seed-article",
        [
            step.admin_create_user(email=False),
            step.admin_update_user_attributes(email_verified=True),
        ],
        "ok",
        FCP,
        email_verified=True,
    ),
    Case(
        "S10-new-email-unverified",
        "S10",
        [*_confirmed(email_verified=True), step.admin_update_user_attributes(new_email=True)],
        "ok",
        CONF,
        email_verified=False,
    ),
    Case(
        "S10-new-email-verified-in-same-call",
        "S10",
        [
            *_confirmed(email_verified=True),
            step.admin_update_user_attributes(new_email=True, email_verified=True),
        ],
        "ok",
        CONF,
        email_verified=True,
    ),
    Case(
        "S10-new-email-kept-verified-before-update",
        "S10",
        [*_confirmed(email_verified=True), step.admin_update_user_attributes(new_email=True)],
        "ok",
        CONF,
        email_verified=True,
        pool=Pool(
            auto_verified_attributes=["email"],
            attributes_require_verification_before_update=["email"],
        ),
    ),
    # -------------------------------------------------------------- enable, disable, delete
    Case(
        "S1-AdminDisableUser",
        "S1",
        [*_confirmed(), step.admin_disable_user()],
        "ok",
        CONF,
        enabled=False,
    ),
    Case(
        "S1-AdminDisableUser-FORCE_CHANGE_PASSWORD-status-kept",
        "S1",
        [*_created(), step.admin_disable_user()],
        "ok",
        FCP,
        enabled=False,
    ),
    Case(
        "S1-AdminEnableUser",
        "S1",
        [*_confirmed(), step.admin_disable_user(), step.admin_enable_user()],
        "ok",
        CONF,
        enabled=True,
    ),
    Case("S1-AdminDeleteUser", "S1", [*_confirmed(), step.admin_delete_user()], "ok", None),
    Case(
        "S1-Admin-operation-after-delete",
        "S1",
        [*_confirmed(), step.admin_delete_user(), step.admin_disable_user()],
        NOT_FOUND,
        None,
    ),
    Case(
        "S1-AdminDeleteUser-twice",
        "S1",
        [*_created(), step.admin_delete_user(), step.admin_delete_user()],
        NOT_FOUND,
        None,
    ),
    # -------------------------------------------------------------- self-service email
    # The reference: S1 UpdateUserAttributes / GetUserAttributeVerificationCode /
    # VerifyUserAttribute and S10 (cognito-rules.md, "AdminUpdateUserAttributes /
    # UpdateUserAttributes / VerifyUserAttribute / GetUserAttributeVerificationCode").
    Case(
        "S10-UpdateUserAttributes-new-email-is-unverified",
        "S10",
        _changed_email(),
        "ok",
        CONF,
        pool=AUTO,
        email_verified=False,
    ),
    Case(
        "S10-UpdateUserAttributes-no-auto-verification-still-unverified",
        "S10",
        _changed_email(),
        "ok",
        CONF,
        email_verified=False,
    ),
    Case(
        "S10-UpdateUserAttributes-verification-first-keeps-the-verified-address",
        "S10",
        _changed_email(),
        "ok",
        CONF,
        pool=VERIFY_FIRST,
        email_verified=True,
    ),
    Case(
        "S1-UpdateUserAttributes-needs-an-access-token",
        "S1",
        [*_confirmed(), step.update_user_attributes(new_email=True)],
        "n/a",
        CONF,
    ),
    Case(
        "I10-UpdateUserAttributes-revoked-token",
        "I10",
        [*_signed_in(), step.global_sign_out(), step.update_user_attributes(new_email=True)],
        NOT_AUTH,
        CONF,
        email_verified=False,
    ),
    Case(
        "E3-UpdateUserAttributes-deleted-users-token-LEGACY",
        "E3",
        [*_signed_in(), step.admin_delete_user(), step.update_user_attributes(new_email=True)],
        NOT_FOUND,
        None,
    ),
    Case(
        "S1-GetUserAttributeVerificationCode-sends-a-code",
        "S1",
        [*_signed_in(), step.get_user_attribute_verification_code()],
        "ok",
        CONF,
        pool=AUTO,
        email_verified=False,
    ),
    Case(
        "S1-GetUserAttributeVerificationCode-needs-an-access-token",
        "S1",
        [*_confirmed(), step.get_user_attribute_verification_code()],
        "n/a",
        CONF,
        pool=AUTO,
    ),
    Case(
        "I10-GetUserAttributeVerificationCode-revoked-token",
        "I10",
        [
            *_signed_in(),
            step.admin_user_global_sign_out(),
            step.get_user_attribute_verification_code(),
        ],
        NOT_AUTH,
        CONF,
        pool=AUTO,
    ),
    Case(
        "S1-VerifyUserAttribute-wrong-code-CodeMismatch",
        "S1",
        [*_changed_email(), step.verify_user_attribute(wrong_code=True)],
        "error:CodeMismatchException",
        CONF,
        pool=AUTO,
        email_verified=False,
    ),
    Case(
        "S1-VerifyUserAttribute-the-code-verifies-the-new-address",
        "S1",
        [*_changed_email(), step.verify_user_attribute()],
        "ok",
        CONF,
        pool=AUTO,
        email_verified=True,
    ),
    Case(
        "S1-VerifyUserAttribute-with-a-requested-code",
        "S1",
        [
            *_signed_in(),
            step.get_user_attribute_verification_code(),
            step.verify_user_attribute(),
        ],
        "ok",
        CONF,
        pool=AUTO,
        email_verified=True,
    ),
    Case(
        "S1-VerifyUserAttribute-after-an-admin-changed-the-email",
        "S1",
        [
            *_signed_in_verified(),
            step.admin_update_user_attributes(new_email=True),
            step.verify_user_attribute(),
        ],
        "ok",
        CONF,
        pool=AUTO,
        email_verified=True,
    ),
    Case(
        "S10-VerifyUserAttribute-the-pending-address-takes-effect",
        "S10",
        [*_changed_email(), step.verify_user_attribute()],
        "ok",
        CONF,
        pool=VERIFY_FIRST,
        email_verified=True,
    ),
    Case(
        "S1-VerifyUserAttribute-needs-an-access-token",
        "S1",
        [*_confirmed(), step.verify_user_attribute()],
        "n/a",
        CONF,
        pool=AUTO,
    ),
    Case(
        "S1-VerifyUserAttribute-RESET_REQUIRED",
        "S1",
        [
            *_changed_email(),
            # an admin reset needs a verified email to send its code to (E1)
            step.admin_update_user_attributes(email_verified=True),
            step.admin_reset_user_password(),
            step.verify_user_attribute(),
        ],
        "error:PasswordResetRequiredException",
        RR,
        pool=AUTO,
        email_verified=True,
    ),
    # -------------------------------------------------------------- DeleteUser
    Case(
        "S1-DeleteUser-no-such-user-afterwards",
        "S1",
        [*_signed_in(), step.delete_user()],
        "ok",
        None,
    ),
    Case(
        "S1-DeleteUser-needs-an-access-token",
        "S1",
        [*_confirmed(), step.delete_user()],
        "n/a",
        CONF,
    ),
    Case(
        "I10-DeleteUser-revoked-token",
        "I10",
        [*_signed_in(), step.global_sign_out(), step.delete_user()],
        NOT_AUTH,
        CONF,
    ),
    Case(
        "E3-DeleteUser-again-with-the-deleted-users-token",
        "E3",
        [*_signed_in(), step.delete_user(), step.delete_user()],
        NOT_FOUND,
        None,
    ),
    Case(
        "S5-sign-in-after-DeleteUser-LEGACY",
        "S5",
        [*_signed_in(), step.delete_user(), step.initiate_auth()],
        NOT_FOUND,
        None,
    ),
]


def cites(text: str | None, source: str) -> bool:
    """Whether a rule's source text names ``source`` (S1 is not S13)."""
    return (
        text is not None and re.search(rf"(?<![\w#]){re.escape(source)}(?![\w])", text) is not None
    )


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_rule_by_behaviour(case: Case, run_model: object) -> None:
    result = run_model(case.steps, case.pool)  # type: ignore[operator]
    last = result.steps[-1]
    observed = last.observed
    assert (observed["outcome"], observed["status"]) == (case.outcome, case.status)
    if case.enabled is not None:
        assert observed["enabled"] is case.enabled
    if case.email_verified is not None:
        assert observed["email_verified"] is case.email_verified
    if case.required_attributes is not None:
        assert observed["required_attributes"] == case.required_attributes
    # The rule that decided carries the source the reference gives for this behaviour.
    assert cites(last.rule.source, case.source), (last.rule.source, case.source)


def test_cites_tells_sources_apart() -> None:
    assert cites("S13, S3", "S3")
    assert not cites("S13", "S1")
    assert not cites("I10, S9", "I1")
    assert cites("amplify-js#1580", "amplify-js#1580")
    assert not cites(None, "S1")


def test_required_attributes_only_on_a_challenge(run_model: object) -> None:
    result = run_model(  # type: ignore[operator]
        [
            step.admin_create_user(email=False),
            step.admin_set_user_password(permanent=True),
            step.admin_initiate_auth(),
        ],
        Pool(required_attributes=["email"]),
    )
    assert [s.observed.get("required_attributes") for s in result.steps] == [None, None, None]
    assert result.steps[-1].observed["outcome"] == "tokens"


# ------------------------------------------------------------------ the table's shape


def _step_of(op: Op) -> Step:
    return Step(op)  # every keyword at its default


def _states() -> list[UserState]:
    return [
        UserState(status, enabled, verified, has_email, tokens, challenge, *flags)
        for status in MODEL_STATES
        for enabled in (True, False)
        for verified in (True, False)
        for has_email in (True, False)
        for tokens in Tokens
        for challenge in (None, "NEW_PASSWORD_REQUIRED")
        for flags in itertools.product((False, True), repeat=3)  # the pending codes, email
    ]


@pytest.fixture(scope="module")
def model() -> CognitoModel:
    return CognitoModel(Pool())


@pytest.mark.parametrize("rule", RULES, ids=lambda r: f"{r.op}:{r.describe_when()}")
def test_rule_when_keys_are_facts_of_its_operation(rule: Rule, model: CognitoModel) -> None:
    facts = model.facts(UserState(), _step_of(rule.op))
    assert set(rule.when) <= set(facts), set(rule.when) - set(facts)
    for key, wanted in rule.when.items():
        if key.startswith("arg."):
            allowed = keywords_of(rule.op)[key.removeprefix("arg.")][1]
            for value in wanted if isinstance(wanted, tuple) else (wanted,):
                assert value in allowed, (key, value)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: f"{r.op}:{r.describe_when()}")
def test_rule_then_sets_state_fields(rule: Rule, model: CognitoModel) -> None:
    fields = set(UserState().as_dict())
    facts = model.facts(UserState(), _step_of(rule.op))
    assert set(rule.then) <= fields
    for value in rule.then.values():
        if isinstance(value, str) and value.startswith("="):
            assert value[1:] in facts
    if "status" in rule.then:
        assert rule.then["status"] in MODEL_STATES


def test_every_rule_has_a_confidence() -> None:
    assert all(isinstance(rule.confidence, Confidence) for rule in RULES)


def test_every_confirmed_rule_has_a_source() -> None:
    missing = [
        r.as_dict() for r in RULES if r.confidence is not Confidence.UNCONFIRMED and not r.source
    ]
    assert missing == []


def test_every_cited_source_id_is_listed() -> None:
    cited = {ident for rule in RULES for ident in rule.sources}
    assert cited, "no rule cites a source id"
    assert cited - set(SOURCES) == set()
    # and nothing shaped like an id (S99, moto-99) is cited without being listed
    unlisted = {
        word
        for rule in RULES
        for text in (rule.source, rule.note, rule.alternative and rule.alternative.source)
        for word in unlisted_in(text or "")
    }
    assert unlisted == set()


def test_sources_are_the_ids_the_citation_names() -> None:
    rule = next(r for r in RULES if r.alternative is not None and "D1" in r.sources)
    assert rule.sources == ("S5", "S13", "D1")  # the alternative's D1 once
    created = next(
        r
        for r in RULES
        if r.op is Op.admin_create_user and r.outcome == "ok" and "gives_phone" not in r.when
    )
    assert created.source == "S1 AdminCreateUser, S16, seed-article step 1"
    assert created.sources == ("S1", "S16", "seed-article")


def test_deleted_users_tokens_under_enabled_are_an_assumption() -> None:
    """E3 is evidence for LEGACY only: under ENABLED the model assumes the same answer and
    says it is a guess."""
    gone = UserState(NO_USER, tokens=Tokens.revoked)  # AdminDeleteUser after a sign-in
    steps = [
        step.update_user_attributes(new_email=True),
        step.get_user_attribute_verification_code(),
        step.verify_user_attribute(),
        step.delete_user(),
    ]
    for pool, confidence in ((LEGACY, Confidence.INFERRED), (ENABLED, Confidence.UNCONFIRMED)):
        for one in steps:
            prediction = CognitoModel(pool).predict(gone, one)
            assert prediction.outcome == NOT_FOUND, (one, pool)
            assert prediction.rule.confidence is confidence, (one, pool)
            assert cites(prediction.rule.source, "E3")


def test_every_operation_has_a_rule() -> None:
    assert [op for op in Op if not rules_for(op)] == []


def test_every_outcome_is_valid() -> None:
    from cognito_states.scenario import check_outcome

    assert {r.outcome: check_outcome(r.outcome) for r in RULES if check_outcome(r.outcome)} == {}


def test_uncovered_case_falls_back_unconfirmed() -> None:
    # admin_update_user_attributes with nothing to change: the language refuses to
    # build it, so no rule covers it; Step(...) builds it directly.
    model = CognitoModel(Pool())
    state = UserState(Status.CONFIRMED, True, True, True)
    op = Op.admin_update_user_attributes
    prediction = model.predict(state, Step(op))
    assert prediction.rule.confidence is Confidence.UNCONFIRMED
    assert prediction.rule.source is None
    assert prediction.rule.op is op
    assert prediction.rule.note == FALLBACK.note
    assert prediction.outcome == FALLBACK.outcome
    assert prediction.state == state


def test_fallback_only_where_no_rule_matches() -> None:
    """Over every state and every operation, FALLBACK fires exactly when no row of the
    operation matches the facts (and then says UNCONFIRMED, no source)."""
    model = CognitoModel(AUTO)
    seen = 0
    for state in _states():
        for op in Op:
            one = _step_of(op)
            rule = model.rule_for(state, one)
            facts = model.facts(state, one)
            matching = [r for r in rules_for(op) if r.matches(facts)]
            if matching:
                assert rule == matching[0], (state, op)
            else:
                seen += 1
                assert (rule.confidence, rule.source, rule.op) == (Confidence.UNCONFIRMED, None, op)
    assert seen > 0


def test_no_user_is_only_left_by_creation() -> None:
    """From NO_USER, only admin_create_user and sign_up create a user."""
    creators = {
        r.op
        for r in RULES
        if r.then.get("status") not in (None, NO_USER)
        and r.statuses in (None, (NO_USER,))
        and r.when.get("status") == NO_USER
    }
    assert creators == {Op.admin_create_user, Op.sign_up}
