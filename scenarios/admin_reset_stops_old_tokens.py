"""After an admin reset, tokens from before it stop working, without being revoked.

A user signed in, then an admin reset the password. AdminResetUserPassword does not
revoke the user's tokens, but Cognito refuses what they are used for: GetUser with the
old access token and REFRESH_TOKEN_AUTH with the old refresh token both answer
PasswordResetRequiredException ("Password reset required for the user").
"""

from cognito_states import Pool, Scenario, step

SCENARIO = Scenario(
    "tokens from before an admin reset are refused",
    pool=Pool(),
    steps=[
        # S1 AdminCreateUser: email_verified may be set to true at creation
        step.admin_create_user(email_verified=True).expect(status="FORCE_CHANGE_PASSWORD"),
        # S1 AdminSetUserPassword (Permanent=true)
        step.admin_set_user_password(permanent=True).expect(status="CONFIRMED"),
        # S16 initiate-auth example output
        step.initiate_auth(auth_flow="USER_PASSWORD_AUTH").expect(outcome="tokens"),
        # S3 AdminResetUserPassword, S14
        step.admin_reset_user_password().expect(outcome="ok", status="RESET_REQUIRED"),
        # C4 (OBS, reproduced by an Amplify maintainer)
        step.get_user().expect(outcome="error:PasswordResetRequiredException"),
        # E2 (OBS, the raw service response quoted in amplify-js issues)
        step.initiate_auth(auth_flow="REFRESH_TOKEN_AUTH").expect(
            outcome="error:PasswordResetRequiredException", status="RESET_REQUIRED"
        ),
    ],
)
