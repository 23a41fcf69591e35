"""The typed surface of ``step``: one method per operation, generated from
operations.SPEC by ``python -m cognito_states.generate``. Do not edit: a test keeps it
in step with the spec. At run time ``step`` is scenario._StepFactory."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Protocol

if TYPE_CHECKING:
    from cognito_states.scenario import Step

__all__ = ["StepAPI"]

MessageAction = Literal["SUPPRESS", "RESEND"]
AuthFlow = Literal["USER_PASSWORD_AUTH", "REFRESH_TOKEN_AUTH", "USER_SRP_AUTH"]
MfaType = Literal["totp", "sms"]
Attribute = Literal["email", "phone_number"]
Preferred = Literal["totp", "sms"]


class StepAPI(Protocol):
    """``step.<operation>(...)``: one step of a scenario, by boto3's name."""

    def admin_create_user(
        self,
        *,
        email: bool = True,
        email_verified: bool | None = None,
        message_action: MessageAction | None = None,
        phone: bool = False,
        phone_verified: bool | None = None,
    ) -> Step:
        """AdminCreateUser: an admin creates the user, with a temporary password."""
        ...

    def admin_set_user_password(
        self,
        *,
        permanent: bool = False,
    ) -> Step:
        """AdminSetUserPassword: an admin sets a password, temporary or permanent."""
        ...

    def admin_update_user_attributes(
        self,
        *,
        email_verified: bool | None = None,
        new_email: bool = False,
        phone_verified: bool | None = None,
        new_phone: bool = False,
    ) -> Step:
        """AdminUpdateUserAttributes: an admin changes the email or phone number, or marks one
        verified."""
        ...

    def admin_initiate_auth(
        self,
        *,
        wrong_password: bool = False,
    ) -> Step:
        """AdminInitiateAuth: an admin signs the user in with the password
        (ADMIN_USER_PASSWORD_AUTH)."""
        ...

    def initiate_auth(
        self,
        *,
        auth_flow: AuthFlow = "USER_PASSWORD_AUTH",
        wrong_password: bool = False,
    ) -> Step:
        """InitiateAuth: the user signs in: password, SRP, or a refresh token."""
        ...

    def respond_to_auth_challenge(
        self,
        *,
        wrong_code: bool = False,
        mfa_type: MfaType = "totp",
    ) -> Step:
        """RespondToAuthChallenge: the user answers the pending challenge (a new password, MFA set-
        up, an MFA code or the MFA method chosen)."""
        ...

    def admin_respond_to_auth_challenge(
        self,
        *,
        wrong_code: bool = False,
        mfa_type: MfaType = "totp",
    ) -> Step:
        """AdminRespondToAuthChallenge: an admin answers the pending challenge (a new password, MFA
        set-up, an MFA code or the MFA method chosen)."""
        ...

    def admin_user_global_sign_out(self) -> Step:
        """AdminUserGlobalSignOut: an admin signs the user out everywhere."""
        ...

    def global_sign_out(self) -> Step:
        """GlobalSignOut: the user signs out everywhere."""
        ...

    def get_user(self) -> Step:
        """GetUser: the user reads their profile."""
        ...

    def change_password(
        self,
        *,
        wrong_password: bool = False,
    ) -> Step:
        """ChangePassword: the user changes their password."""
        ...

    def update_user_attributes(
        self,
        *,
        new_email: bool = False,
    ) -> Step:
        """UpdateUserAttributes: the user changes their own email."""
        ...

    def get_user_attribute_verification_code(
        self,
        *,
        attribute: Attribute = "email",
    ) -> Step:
        """GetUserAttributeVerificationCode: the user asks for a code to verify their email or
        phone number."""
        ...

    def verify_user_attribute(
        self,
        *,
        attribute: Attribute = "email",
        wrong_code: bool = False,
    ) -> Step:
        """VerifyUserAttribute: the user verifies their email or phone number with the code."""
        ...

    def associate_software_token(self) -> Step:
        """AssociateSoftwareToken: the user (or a pending MFA_SETUP) gets a TOTP secret for an
        authenticator."""
        ...

    def verify_software_token(
        self,
        *,
        wrong_code: bool = False,
    ) -> Step:
        """VerifySoftwareToken: the user proves the authenticator with a TOTP code (pyotp computes
        it)."""
        ...

    def set_user_mfa_preference(
        self,
        *,
        totp: bool | None = None,
        sms: bool | None = None,
        preferred: Preferred | None = None,
    ) -> Step:
        """SetUserMFAPreference: the user turns MFA methods on or off, and picks one."""
        ...

    def admin_set_user_mfa_preference(
        self,
        *,
        totp: bool | None = None,
        sms: bool | None = None,
        preferred: Preferred | None = None,
    ) -> Step:
        """AdminSetUserMFAPreference: an admin turns the user's MFA methods on or off, and picks
        one."""
        ...

    def sign_up(self) -> Step:
        """SignUp: the user signs up."""
        ...

    def confirm_sign_up(
        self,
        *,
        wrong_code: bool = False,
    ) -> Step:
        """ConfirmSignUp: the user confirms sign-up with the code."""
        ...

    def admin_confirm_sign_up(self) -> Step:
        """AdminConfirmSignUp: an admin confirms the user."""
        ...

    def resend_confirmation_code(self) -> Step:
        """ResendConfirmationCode: the user asks for the sign-up code again."""
        ...

    def forgot_password(self) -> Step:
        """ForgotPassword: the user asks for a password-reset code."""
        ...

    def confirm_forgot_password(
        self,
        *,
        wrong_code: bool = False,
    ) -> Step:
        """ConfirmForgotPassword: the user sets a new password with the reset code."""
        ...

    def admin_reset_user_password(self) -> Step:
        """AdminResetUserPassword: an admin resets the password (RESET_REQUIRED)."""
        ...

    def admin_disable_user(self) -> Step:
        """AdminDisableUser: an admin disables the user."""
        ...

    def admin_enable_user(self) -> Step:
        """AdminEnableUser: an admin enables the user."""
        ...

    def admin_delete_user(self) -> Step:
        """AdminDeleteUser: an admin deletes the user."""
        ...

    def delete_user(self) -> Step:
        """DeleteUser: the user deletes themselves."""
        ...

    def revoke_token(self) -> Step:
        """RevokeToken: the user revokes their refresh token."""
        ...
