"""A user created by an admin must choose a new password at first sign-in.

AdminCreateUser gives the user a temporary password and the status
FORCE_CHANGE_PASSWORD. Signing in with it returns a NEW_PASSWORD_REQUIRED challenge
instead of tokens. Answering the challenge with a new password makes the user
CONFIRMED and returns tokens: no admin needs to set a permanent password.
"""

from cognito_states import Pool, Scenario, step

SCENARIO = Scenario(
    "admin-created user answers NEW_PASSWORD_REQUIRED",
    pool=Pool(),
    steps=[
        # S1 AdminCreateUser, S16 admin-create-user
        step.admin_create_user().expect(status="FORCE_CHANGE_PASSWORD", enabled=True),
        # S15 admin-initiate-auth; S1 AdminCreateUser: FCP until the password is set
        step.admin_initiate_auth().expect(
            outcome="challenge:NEW_PASSWORD_REQUIRED", status="FORCE_CHANGE_PASSWORD"
        ),
        # S7, S16 admin-respond-to-auth-challenge: user confirmed, tokens issued
        step.admin_respond_to_auth_challenge().expect(outcome="tokens", status="CONFIRMED"),
        # S16 admin-initiate-auth example output (the new password now works)
        step.admin_initiate_auth().expect(outcome="tokens"),
        # S16 initiate-auth example output: the app signs in with it too
        step.initiate_auth(auth_flow="USER_PASSWORD_AUTH").expect(outcome="tokens"),
    ],
)
