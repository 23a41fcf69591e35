"""An admin can sign a user out everywhere without holding the user's tokens.

AdminUserGlobalSignOut names the user instead of sending an access token. It
revokes every token the user holds, exactly like GlobalSignOut, and leaves the
status and the Enabled switch alone, so the user can sign in again at once.
"""

from cognito_states import Pool, Scenario, step

SCENARIO = Scenario(
    "admin global sign-out revokes the user's tokens",
    pool=Pool(),
    steps=[
        # S1 AdminCreateUser
        step.admin_create_user().expect(status="FORCE_CHANGE_PASSWORD"),
        # S1 AdminSetUserPassword (Permanent=true)
        step.admin_set_user_password(permanent=True).expect(status="CONFIRMED"),
        # S16 admin-initiate-auth example output
        step.admin_initiate_auth().expect(outcome="tokens"),
        # S1 GetUser
        step.get_user().expect(outcome="ok"),
        # S1 AdminUserGlobalSignOut, S9: no status or Enabled change
        step.admin_user_global_sign_out().expect(outcome="ok", status="CONFIRMED", enabled=True),
        # S9; I10 (OBS): "Access Token has been revoked"
        step.get_user().expect(outcome="error:NotAuthorizedException"),
        # S9, S1: refresh tokens are revoked too
        step.initiate_auth(auth_flow="REFRESH_TOKEN_AUTH").expect(
            outcome="error:NotAuthorizedException"
        ),
        # S16 admin-initiate-auth example output
        step.admin_initiate_auth().expect(outcome="tokens"),
        # S1 GetUser
        step.get_user().expect(outcome="ok"),
    ],
)
