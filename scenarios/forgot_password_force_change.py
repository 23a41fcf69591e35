"""A user still holding a temporary password cannot use forgot-password.

In FORCE_CHANGE_PASSWORD, ForgotPassword is refused with NotAuthorizedException
("User password cannot be reset in the current state."), even with a verified
email. The user must first sign in and answer NEW_PASSWORD_REQUIRED (or the admin
must resend the invitation); after that, forgot-password works as usual.
"""

from cognito_states import Pool, Scenario, step

SCENARIO = Scenario(
    "forgot-password is refused in FORCE_CHANGE_PASSWORD",
    pool=Pool(),
    steps=[
        # S1 AdminCreateUser: email_verified may be set to true at creation
        step.admin_create_user(email_verified=True).expect(
            status="FORCE_CHANGE_PASSWORD", email_verified=True
        ),
        # S17; I3, E4 (OBS, LEGACY): "User password cannot be reset in the current state."
        step.forgot_password().expect(
            outcome="error:NotAuthorizedException", status="FORCE_CHANGE_PASSWORD"
        ),
        # S15 admin-initiate-auth
        step.admin_initiate_auth().expect(outcome="challenge:NEW_PASSWORD_REQUIRED"),
        # S7, S16 admin-respond-to-auth-challenge
        step.admin_respond_to_auth_challenge().expect(outcome="tokens", status="CONFIRMED"),
        # S1 ForgotPassword; I16 (OBS): no status change
        step.forgot_password().expect(outcome="ok", status="CONFIRMED"),
        # S1 ConfirmForgotPassword
        step.confirm_forgot_password().expect(outcome="ok", status="CONFIRMED"),
        # S16 admin-initiate-auth example output (the new password)
        step.admin_initiate_auth().expect(outcome="tokens"),
    ],
)
