"""The same first-sign-in challenge, seen by an app instead of an admin back end.

The app signs in with InitiateAuth (USER_PASSWORD_AUTH) and the temporary password,
and gets NEW_PASSWORD_REQUIRED. The pool requires "name", which the admin never set,
so the answer must carry a name along with the new password. RespondToAuthChallenge
then confirms the user and returns tokens.
"""

from cognito_states import Pool, Scenario, step

SCENARIO = Scenario(
    "app answers NEW_PASSWORD_REQUIRED with a missing required attribute",
    pool=Pool(required_attributes=["name"]),
    steps=[
        # S1 AdminCreateUser; article step 1 (created without a required attribute)
        step.admin_create_user().expect(status="FORCE_CHANGE_PASSWORD"),
        # S16 initiate-auth, S1 AdminCreateUser; article step 4 (requiredAttributes)
        step.initiate_auth(auth_flow="USER_PASSWORD_AUTH").expect(
            outcome="challenge:NEW_PASSWORD_REQUIRED", status="FORCE_CHANGE_PASSWORD"
        ),
        # S1 RespondToAuthChallenge (userAttributes.<name>), S7, S16
        step.respond_to_auth_challenge().expect(outcome="tokens", status="CONFIRMED"),
        # S16 initiate-auth example output
        step.initiate_auth(auth_flow="USER_PASSWORD_AUTH").expect(outcome="tokens"),
    ],
)
