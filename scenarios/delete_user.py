"""A deleted user is gone, and a default (LEGACY) pool says so when asked.

AdminDeleteUser removes the user: there is no status left to read. In a pool with
PreventUserExistenceErrors LEGACY (the API default), signing in as the deleted user
fails with UserNotFoundException, which tells a caller the name does not exist. The
tokens the user held answer the same: GetUser and REFRESH_TOKEN_AUTH say "User does
not exist.", not that the tokens were revoked.
"""

from cognito_states import Pool, Scenario, step

SCENARIO = Scenario(
    "deleted user is not found (LEGACY pool)",
    pool=Pool(prevent_user_existence_errors="LEGACY"),
    steps=[
        # S1 AdminCreateUser
        step.admin_create_user().expect(status="FORCE_CHANGE_PASSWORD"),
        # S1 AdminSetUserPassword (Permanent=true)
        step.admin_set_user_password(permanent=True).expect(status="CONFIRMED"),
        # S16 admin-initiate-auth example output
        step.admin_initiate_auth().expect(outcome="tokens"),
        # S1 AdminDeleteUser: the profile is removed
        step.admin_delete_user().expect(outcome="ok", status=None),
        # S5 (LEGACY): unknown user, also for AdminInitiateAuth
        step.admin_initiate_auth().expect(outcome="error:UserNotFoundException", status=None),
        # S5 (LEGACY): unknown user
        step.initiate_auth(auth_flow="USER_PASSWORD_AUTH").expect(
            outcome="error:UserNotFoundException"
        ),
        # E3 (OBS, an SDK trace from a real pool): the old access token
        step.get_user().expect(outcome="error:UserNotFoundException"),
        # E3: the old refresh token
        step.initiate_auth(auth_flow="REFRESH_TOKEN_AUTH").expect(
            outcome="error:UserNotFoundException"
        ),
    ],
)
