"""With PreventUserExistenceErrors ENABLED, a deleted user looks like a bad password.

The same deletion as delete_user.py, in a pool that hides which names exist. Signing
in as the deleted user now fails with the generic NotAuthorizedException, so an
attacker cannot tell a missing user from a wrong password. For the tokens the user
held there is no public evidence under ENABLED: the model assumes GetUser still says
UserNotFoundException (the setting covers sign-in, confirmation and recovery) and a
refresh the generic NotAuthorizedException (INFERRED).
"""

from cognito_states import Pool, Scenario, step

SCENARIO = Scenario(
    "deleted user looks like a wrong password (ENABLED pool)",
    pool=Pool(prevent_user_existence_errors="ENABLED"),
    steps=[
        # S1 AdminCreateUser
        step.admin_create_user().expect(status="FORCE_CHANGE_PASSWORD"),
        # S1 AdminSetUserPassword (Permanent=true)
        step.admin_set_user_password(permanent=True).expect(status="CONFIRMED"),
        # S16 admin-initiate-auth example output
        step.admin_initiate_auth().expect(outcome="tokens"),
        # S1 AdminDeleteUser: the profile is removed
        step.admin_delete_user().expect(outcome="ok", status=None),
        # S5 (ENABLED): generic error for an unknown user, AdminInitiateAuth too
        step.admin_initiate_auth().expect(outcome="error:NotAuthorizedException", status=None),
        # S5 (ENABLED): generic error for an unknown user
        step.initiate_auth(auth_flow="USER_PASSWORD_AUTH").expect(
            outcome="error:NotAuthorizedException"
        ),
        # E3, C2 (INFERRED): GetUser is not one of the APIs the setting hides
        step.get_user().expect(outcome="error:UserNotFoundException"),
        # S5, E3 (INFERRED): a refresh is sign-in, which the setting hides
        step.initiate_auth(auth_flow="REFRESH_TOKEN_AUTH").expect(
            outcome="error:NotAuthorizedException"
        ),
    ],
)
