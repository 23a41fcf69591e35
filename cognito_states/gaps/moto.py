"""Where moto (5.2.x) departs from real Cognito, one entry per observable departure.

Numbers refer to ../shared/reference/moto-gaps.md (measured with moto 5.2.5); the real
behaviour's source is the rule's own (rules.py). Never edit the model to match these.
"""

from __future__ import annotations

from typing import Any

from cognito_states.gaps import KnownGap

_MOTO = ">=5.2.5,<5.3"

# Operations moto does not implement: NotImplementedError in-process, and an HTTP 500
# that cannot be told from a crash in server mode (moto-gaps.md, matrix; the last three
# re-measured with moto 5.2.5 in both modes).
MOTO_UNIMPLEMENTED = frozenset(
    {
        "resend_confirmation_code",
        "revoke_token",
        "get_user_attribute_verification_code",
        "verify_user_attribute",
        "delete_user",
    }
)
FCP, RR, CONF, UNC = (
    "FORCE_CHANGE_PASSWORD",
    "RESET_REQUIRED",
    "CONFIRMED",
    "UNCONFIRMED",
)
NPR = "challenge:NEW_PASSWORD_REQUIRED"
NOT_AUTH = "error:NotAuthorizedException"


def _gap(
    operation: str,
    state: dict[str, Any],
    predicted: dict[str, Any],
    observed: dict[str, Any],
    source: str,
    params: dict[str, Any] | None = None,
) -> KnownGap:
    return KnownGap("moto", _MOTO, operation, state, predicted, observed, source, params or {})


def _both_sign_ins(
    state: dict[str, Any],
    predicted: dict[str, Any],
    observed: dict[str, Any],
    source: str,
    params: dict[str, Any] | None = None,
) -> list[KnownGap]:
    return [
        _gap(op, state, predicted, observed, source, params)
        for op in ("admin_initiate_auth", "initiate_auth")
    ]


def _resend_replaces_user() -> list[KnownGap]:
    """#13 in every state: the fields that differ depend on where the user was."""
    entries = []
    for status in (FCP, CONF, UNC, RR):
        for enabled in (True, False):
            for verified in (True, False):
                predicted: dict[str, Any] = {}
                observed: dict[str, Any] = {}
                if status != FCP:
                    predicted |= {
                        "outcome": "error:UnsupportedUserStateException",
                        "status": status,
                    }
                    observed |= {"outcome": "ok", "status": FCP}
                if not enabled:
                    predicted["enabled"], observed["enabled"] = False, True
                if verified:
                    predicted["email_verified"], observed["email_verified"] = True, False
                if not predicted:
                    continue  # nothing differs: FORCE_CHANGE_PASSWORD, enabled, unverified
                entries.append(
                    _gap(
                        "admin_create_user",
                        {"status": status, "enabled": enabled, "email_verified": verified},
                        dict(sorted(predicted.items())),
                        dict(sorted(observed.items())),
                        "moto-gaps.md #13: RESEND replaces the user (FORCE_CHANGE_PASSWORD,"
                        " enabled, attributes wiped); real re-invites a FORCE_CHANGE_PASSWORD"
                        " user and refuses others (UnsupportedUserStateException; S1, I8)",
                        {"message_action": "RESEND"},
                    )
                )
    return entries


MOTO_GAPS: tuple[KnownGap, ...] = (
    # 16: NEW_PASSWORD_REQUIRED comes without requiredAttributes.
    *_both_sign_ins(
        {"status": FCP},
        {"required_attributes": ["userAttributes.email"]},
        {"required_attributes": []},
        "moto-gaps.md #16: ChallengeParameters {} (real: USER_ID_FOR_SRP, requiredAttributes,"
        " userAttributes; seed-article step 4, S15)",
    ),
    # 1: ADMIN_USER_PASSWORD_AUTH signs in an unconfirmed user.
    _gap(
        "admin_initiate_auth",
        {"status": UNC},
        {"outcome": "error:UserNotConfirmedException"},
        {"outcome": "tokens"},
        "moto-gaps.md #1: tokens for an UNCONFIRMED user (real UserNotConfirmedException; I2,"
        " cognito-local#337)",
    ),
    # 23: an unconfirmed user with a wrong password.
    *_both_sign_ins(
        {"status": UNC},
        {"outcome": "error:UserNotConfirmedException"},
        {"outcome": NOT_AUTH},
        "moto-gaps.md #23: NotAuthorizedException for an UNCONFIRMED user with a wrong password"
        " (real UserNotConfirmedException; I2)",
        {"wrong_password": True},
    ),
    # 2: RESET_REQUIRED users can still sign in.
    _gap(
        "admin_initiate_auth",
        {"status": RR},
        {"outcome": "error:PasswordResetRequiredException"},
        {"outcome": NPR},
        "moto-gaps.md #2: NEW_PASSWORD_REQUIRED for a RESET_REQUIRED user (real"
        " PasswordResetRequiredException; S13, S3)",
    ),
    _gap(
        "initiate_auth",
        {"status": RR},
        {"outcome": "error:PasswordResetRequiredException"},
        {"outcome": "tokens"},
        "moto-gaps.md #2: tokens for a RESET_REQUIRED user (real PasswordResetRequiredException;"
        " S13, S3)",
    ),
    *(
        _gap(
            op,
            {"status": RR},
            {"outcome": NOT_AUTH, "status": RR},
            {"outcome": "tokens", "status": CONF},
            "moto-gaps.md #2: the NEW_PASSWORD_REQUIRED answer confirms a RESET_REQUIRED user",
        )
        for op in ("admin_respond_to_auth_challenge", "respond_to_auth_challenge")
    ),
    # 3: ConfirmForgotPassword never changes the status.
    *(
        _gap(
            "confirm_forgot_password",
            {"status": status},
            {"status": CONF},
            {"status": status},
            f"moto-gaps.md #3: status stays {status} (real CONFIRMED; S13, S3)",
        )
        for status in (RR, FCP, UNC)
    ),
    # 4: any code is accepted, and a code that was never requested too.
    _gap(
        "confirm_forgot_password",
        {},
        {"outcome": "error:CodeMismatchException"},
        {"outcome": "ok"},
        "moto-gaps.md #4: a wrong code is accepted (real CodeMismatchException; S1)",
        {"wrong_code": True},
    ),
    _gap(
        "confirm_forgot_password",
        {"status": CONF, "reset_code": False},
        {"outcome": "error:ExpiredCodeException"},
        {"outcome": "ok"},
        "moto-gaps.md #4: accepted with no code requested (real ExpiredCodeException; S5)",
    ),
    _gap(
        "confirm_forgot_password",
        {"status": RR, "reset_code": False},
        {"outcome": "error:ExpiredCodeException"},
        {"outcome": "ok"},
        "moto-gaps.md #4: accepted with no code requested (real ExpiredCodeException; S5)",
    ),
    _gap(
        "confirm_forgot_password",
        {"status": FCP, "reset_code": False},
        {"outcome": "error:ExpiredCodeException"},
        {"outcome": "ok"},
        "moto-gaps.md #4: accepted with no code requested (real ExpiredCodeException; S5)",
    ),
    # 5: ForgotPassword checks nothing.
    _gap(
        "forgot_password",
        {"status": FCP},
        {"outcome": NOT_AUTH},
        {"outcome": "ok"},
        "moto-gaps.md #5: no status check (real NotAuthorizedException; I3, S17)",
    ),
    _gap(
        "forgot_password",
        {"email_verified": False},
        {"outcome": "error:InvalidParameterException"},
        {"outcome": "ok"},
        "moto-gaps.md #5: no verified-channel check (real InvalidParameterException; S1, S17)",
    ),
    _gap(
        "forgot_password",
        {"enabled": False},
        {"outcome": NOT_AUTH},
        {"outcome": "ok"},
        "moto-gaps.md #5: no disabled check (real NotAuthorizedException; I3)",
    ),
    _gap(
        "forgot_password",
        {"status": None},
        {"outcome": "error:UserNotFoundException"},
        {"outcome": "ok"},
        "moto-gaps.md #5: unknown user gets fake details (real LEGACY UserNotFoundException; S5)",
    ),
    # 6: ConfirmSignUp ignores the code and the status, and verifies nothing.
    _gap(
        "confirm_sign_up",
        {"status": UNC},
        {"email_verified": True},
        {"email_verified": False},
        "moto-gaps.md #6: email_verified not set by the code (real true; S4)",
    ),
    _gap(
        "confirm_sign_up",
        {"status": UNC},
        {"outcome": "error:CodeMismatchException", "status": UNC},
        {"outcome": "ok", "status": CONF},
        "moto-gaps.md #6: any code confirms (real CodeMismatchException; S1)",
    ),
    *(
        _gap(
            "confirm_sign_up",
            {"status": status},
            {"outcome": NOT_AUTH, "status": status},
            {"outcome": "ok", "status": CONF},
            "moto-gaps.md #6: confirms from any status (real NotAuthorizedException; I6)",
        )
        for status in (FCP, RR)
    ),
    _gap(
        "confirm_sign_up",
        {"status": CONF},
        {"outcome": NOT_AUTH},
        {"outcome": "ok"},
        "moto-gaps.md #6: confirms from any status (real NotAuthorizedException; I6)",
    ),
    # 7: AdminConfirmSignUp from any status.
    *(
        _gap(
            "admin_confirm_sign_up",
            {"status": status},
            {"outcome": NOT_AUTH, "status": status},
            {"outcome": "ok", "status": CONF},
            "moto-gaps.md #7: confirms from any status (real rejects; I6)",
        )
        for status in (FCP, RR)
    ),
    _gap(
        "admin_confirm_sign_up",
        {"status": CONF},
        {"outcome": NOT_AUTH},
        {"outcome": "ok"},
        "moto-gaps.md #7: confirms from any status (real rejects; I6)",
    ),
    # 8: a new email keeps email_verified=true.
    _gap(
        "admin_update_user_attributes",
        {"email_verified": True},
        {"email_verified": False},
        {"email_verified": True},
        "moto-gaps.md #8: email_verified stays true after an email change (real false; S10, S4)",
        {"new_email": True},
    ),
    # UpdateUserAttributes (re-measured with moto 5.2.5, in-process and server): the new
    # address replaces the old but email_verified stays true, and the answer has no
    # CodeDeliveryDetailsList ("No CodeDeliveryDetails are returned", moto's docstring).
    _gap(
        "update_user_attributes",
        {"email_verified": True},
        {"email_verified": False},
        {"email_verified": True},
        "moto keeps email_verified true after UpdateUserAttributes changes the email and"
        " sends no code (real: false, and a code to the new address where email is"
        " auto-verified; S1 UpdateUserAttributes, S10)",
        {"new_email": True},
    ),
    # 9: tokens keyed by the login string in email-as-username pools.
    _gap(
        "get_user",
        {"tokens": "revoked"},
        {"outcome": NOT_AUTH},
        {"outcome": "ok"},
        "moto-gaps.md #9: AdminUserGlobalSignOut by sub revokes nothing when the user signed"
        " in with the email (real revokes; S1, S9)",
    ),
    # 10: a refresh token outlives disable (and stays usable after enable).
    _gap(
        "initiate_auth",
        {"tokens": "revoked"},
        {"outcome": NOT_AUTH},
        {"outcome": "tokens"},
        "moto-gaps.md #10: the refresh token still mints tokens after AdminDisableUser"
        " (real rejects; S1, I11)",
        {"auth_flow": "REFRESH_TOKEN_AUTH"},
    ),
    # 11: the refresh token of a deleted user crashes moto.
    _gap(
        "initiate_auth",
        {"status": None},
        {"outcome": NOT_AUTH},
        {"outcome": "error:InternalError"},
        "moto-gaps.md #11: AttributeError for a deleted user's refresh token (real"
        " NotAuthorizedException)",
        {"auth_flow": "REFRESH_TOKEN_AUTH"},
    ),
    # 13: RESEND builds a new user (FORCE_CHANGE_PASSWORD, enabled, attributes wiped)
    # instead of re-inviting, whatever the user's state.
    *_resend_replaces_user(),
    # 15: ExplicitAuthFlows are ignored.
    *(
        _gap(
            op,
            {"status": CONF},
            {"outcome": "error:InvalidParameterException"},
            {"outcome": "tokens"},
            "moto-gaps.md #15: a flow the client does not allow still signs in"
            " (real InvalidParameterException)",
        )
        for op in ("admin_initiate_auth", "initiate_auth")
    ),
    # SRP: moto does not check the password proof (issue: a wrong password gets tokens).
    _gap(
        "initiate_auth",
        {"status": CONF},
        {"outcome": NOT_AUTH},
        {"outcome": "tokens"},
        "moto does not verify the USER_SRP_AUTH proof: a wrong password gets tokens (real"
        " NotAuthorizedException; S12)",
        {"auth_flow": "USER_SRP_AUTH", "wrong_password": True},
    ),
    # 20: PreventUserExistenceErrors=ENABLED is ignored.
    *_both_sign_ins(
        {"status": None},
        {"outcome": NOT_AUTH},
        {"outcome": "error:UserNotFoundException"},
        "moto-gaps.md #20: PreventUserExistenceErrors ignored, the user's absence shows"
        " (real ENABLED: NotAuthorizedException; S5)",
    ),
    _gap(
        "confirm_forgot_password",
        {"status": None},
        {"outcome": "error:CodeMismatchException"},
        {"outcome": "error:UserNotFoundException"},
        "moto-gaps.md #20: PreventUserExistenceErrors ignored (real ENABLED:"
        " CodeMismatchException; S5)",
    ),
    # 22: GetUser for a FORCE_CHANGE_PASSWORD user (and RESET_REQUIRED, below).
    _gap(
        "get_user",
        {"status": FCP, "tokens": "valid"},
        {"outcome": "ok"},
        {"outcome": NOT_AUTH},
        "moto-gaps.md #22: NotAuthorizedException for a FORCE_CHANGE_PASSWORD user's token"
        " (real: UNCONFIRMED; the model predicts ok)",
    ),
    # 22: GetUser for a RESET_REQUIRED user.
    _gap(
        "get_user",
        {"status": RR},
        {"outcome": "error:PasswordResetRequiredException"},
        {"outcome": NOT_AUTH},
        "moto-gaps.md #22: NotAuthorizedException (real may answer"
        " PasswordResetRequiredException, in GetUser's error list; S1)",
    ),
)
