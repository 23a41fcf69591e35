"""After an admin resets a password, the user must recover it with an emailed code.

AdminResetUserPassword puts a CONFIRMED user in RESET_REQUIRED and the old password
stops working: sign-in fails with PasswordResetRequiredException. The way out is the
forgot-password flow: ForgotPassword sends a code (the status does not change yet),
and ConfirmForgotPassword with that code and a new password makes the user CONFIRMED.
"""

from cognito_states import Pool, Scenario, step

SCENARIO = Scenario(
    "admin reset, then forgot-password flow",
    pool=Pool(),
    steps=[
        # S1 AdminCreateUser: email_verified may be set to true at creation
        step.admin_create_user(email_verified=True).expect(
            status="FORCE_CHANGE_PASSWORD", email_verified=True
        ),
        # S1 AdminSetUserPassword (Permanent=true)
        step.admin_set_user_password(permanent=True).expect(status="CONFIRMED"),
        # S3 AdminResetUserPassword, S14 (E5: it mails a code too; ForgotPassword sends
        # a fresh one, which is the one ConfirmForgotPassword uses below)
        step.admin_reset_user_password().expect(status="RESET_REQUIRED"),
        # S3, S13, S5 (LEGACY pool)
        step.admin_initiate_auth().expect(
            outcome="error:PasswordResetRequiredException", status="RESET_REQUIRED"
        ),
        # S1 ForgotPassword; I16 (OBS): no status change
        step.forgot_password().expect(outcome="ok", status="RESET_REQUIRED"),
        # S13, S3: the forgot-password flow completes the reset
        step.confirm_forgot_password().expect(outcome="ok", status="CONFIRMED"),
        # S16 admin-initiate-auth example output (CONFIRMED user, new password)
        step.admin_initiate_auth().expect(outcome="tokens"),
    ],
)
