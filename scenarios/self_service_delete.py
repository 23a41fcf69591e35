"""A signed-in user deletes themselves; their tokens then find no user.

DeleteUser with the user's own access token removes the profile for good: no status
is left to read. Sent again with the same token, Cognito answers that the user does
not exist (evidence review E3, in a default LEGACY pool), not that the token was
revoked. (delete_user.py shows signing in afterwards.)
"""

from cognito_states import Pool, Scenario, step

SCENARIO = Scenario(
    "user deletes themselves",
    pool=Pool(prevent_user_existence_errors="LEGACY"),
    steps=[
        # S1 AdminCreateUser
        step.admin_create_user().expect(status="FORCE_CHANGE_PASSWORD"),
        # S1 AdminSetUserPassword (Permanent=true)
        step.admin_set_user_password(permanent=True).expect(status="CONFIRMED"),
        # S16 initiate-auth example output: the user signs in and holds tokens
        step.initiate_auth().expect(outcome="tokens"),
        # S1 DeleteUser: "can no longer be used to sign in and can't be restored"
        step.delete_user().expect(outcome="ok", status=None),
        # E3 (INFERRED here): a deleted user's tokens answer "User does not exist."
        step.delete_user().expect(outcome="error:UserNotFoundException", status=None),
    ],
)
