"""A temporary password sends even a CONFIRMED user back to FORCE_CHANGE_PASSWORD.

AdminSetUserPassword without Permanent works from any status: the user gets a
temporary password and must choose a new one at the next sign-in, exactly like a
freshly created user. Answering NEW_PASSWORD_REQUIRED makes them CONFIRMED again.
"""

from cognito_states import Pool, Scenario, step

SCENARIO = Scenario(
    "temporary password on a confirmed user",
    pool=Pool(),
    steps=[
        # S1 AdminCreateUser
        step.admin_create_user().expect(status="FORCE_CHANGE_PASSWORD"),
        # S1 AdminSetUserPassword (Permanent=true)
        step.admin_set_user_password(permanent=True).expect(status="CONFIRMED"),
        # S16 admin-initiate-auth example output
        step.admin_initiate_auth().expect(outcome="tokens"),
        # S1 AdminSetUserPassword (Permanent=false)
        step.admin_set_user_password(permanent=False).expect(status="FORCE_CHANGE_PASSWORD"),
        # S1 AdminSetUserPassword: next sign-in returns NEW_PASSWORD_REQUIRED
        step.admin_initiate_auth().expect(outcome="challenge:NEW_PASSWORD_REQUIRED"),
        # S7, S16 admin-respond-to-auth-challenge
        step.admin_respond_to_auth_challenge().expect(outcome="tokens", status="CONFIRMED"),
    ],
)
