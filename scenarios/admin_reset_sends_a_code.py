"""An admin reset mails a code: the forgot-password flow can finish without ForgotPassword.

AdminResetUserPassword puts a user with a verified email in RESET_REQUIRED and sends
a password-reset code. ConfirmForgotPassword with that code and a new password makes
the user CONFIRMED again; a wrong code is CodeMismatchException (the code is pending,
so not ExpiredCodeException). On a real pool the code comes from --codes; moto's
AdminResetUserPassword creates no code (moto-25), so there the right-code step can only
be made after moto accepted the wrong one (moto-4).
"""

from cognito_states import Pool, Scenario, step

SCENARIO = Scenario(
    "admin reset sends a code ConfirmForgotPassword checks",
    pool=Pool(),
    steps=[
        # S1 AdminCreateUser: email_verified may be set to true at creation
        step.admin_create_user(email_verified=True).expect(
            status="FORCE_CHANGE_PASSWORD", email_verified=True
        ),
        # S1 AdminSetUserPassword (Permanent=true)
        step.admin_set_user_password(permanent=True).expect(status="CONFIRMED"),
        # S3 AdminResetUserPassword, S14; E5: RESET_REQUIRED and a reset code is sent
        step.admin_reset_user_password().expect(outcome="ok", status="RESET_REQUIRED"),
        # E5, S1 ConfirmForgotPassword: a wrong code
        step.confirm_forgot_password(wrong_code=True).expect(
            outcome="error:CodeMismatchException", status="RESET_REQUIRED"
        ),
        # E5, S13, S3: the code the reset sent completes it
        step.confirm_forgot_password().expect(outcome="ok", status="CONFIRMED"),
        # S16 admin-initiate-auth example output (the new password)
        step.admin_initiate_auth().expect(outcome="tokens"),
    ],
)
