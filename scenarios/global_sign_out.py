"""Global sign-out kills the user's tokens but not the account.

GlobalSignOut, called with the user's own access token, revokes that access token
and the refresh token. Cognito then refuses them with NotAuthorizedException, so
GetUser and token refresh fail. The status stays CONFIRMED: signing in again with
the password gives fresh tokens.
"""

from cognito_states import Pool, Scenario, step

SCENARIO = Scenario(
    "global sign-out revokes tokens, not the account",
    pool=Pool(),
    steps=[
        # S1 AdminCreateUser
        step.admin_create_user().expect(status="FORCE_CHANGE_PASSWORD"),
        # S1 GetUser: AccessToken is required, and this user holds none yet
        step.get_user().expect(outcome="n/a"),
        # S1 AdminSetUserPassword (Permanent=true)
        step.admin_set_user_password(permanent=True).expect(status="CONFIRMED"),
        # S16 initiate-auth example output
        step.initiate_auth(auth_flow="USER_PASSWORD_AUTH").expect(outcome="tokens"),
        # S1 GetUser
        step.get_user().expect(outcome="ok"),
        # S1 InitiateAuth REFRESH_TOKEN_AUTH; refresh token valid 30 days (S1)
        step.initiate_auth(auth_flow="REFRESH_TOKEN_AUTH").expect(outcome="tokens"),
        # S1 GlobalSignOut, S9: no status or Enabled change
        step.global_sign_out().expect(outcome="ok", status="CONFIRMED", enabled=True),
        # S9; I10 (OBS): "Access Token has been revoked"
        step.get_user().expect(outcome="error:NotAuthorizedException"),
        # S9, S1 GlobalSignOut: refresh tokens are revoked too
        step.initiate_auth(auth_flow="REFRESH_TOKEN_AUTH").expect(
            outcome="error:NotAuthorizedException"
        ),
        # S16 initiate-auth example output (CONFIRMED user, right password)
        step.initiate_auth(auth_flow="USER_PASSWORD_AUTH").expect(outcome="tokens"),
        # S1 GetUser
        step.get_user().expect(outcome="ok"),
    ],
)
