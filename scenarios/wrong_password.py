"""A wrong password is refused, and nothing about the account changes.

Cognito answers a wrong password with NotAuthorizedException ("Incorrect username
or password."). The status stays CONFIRMED and the right password still works.
(After five failures in a row Cognito locks sign-in for a while; one is harmless.)
"""

from cognito_states import Pool, Scenario, step

SCENARIO = Scenario(
    "wrong password is refused, account unchanged",
    pool=Pool(),
    steps=[
        # S1 AdminCreateUser
        step.admin_create_user().expect(status="FORCE_CHANGE_PASSWORD"),
        # S1 AdminSetUserPassword (Permanent=true)
        step.admin_set_user_password(permanent=True).expect(status="CONFIRMED"),
        # S12, I13 (OBS): wrong password
        step.admin_initiate_auth(wrong_password=True).expect(
            outcome="error:NotAuthorizedException", status="CONFIRMED", enabled=True
        ),
        # S12, I13 (OBS): same answer on the app-side flow
        step.initiate_auth(auth_flow="USER_PASSWORD_AUTH", wrong_password=True).expect(
            outcome="error:NotAuthorizedException", status="CONFIRMED"
        ),
        # S16 admin-initiate-auth example output
        step.admin_initiate_auth().expect(outcome="tokens"),
    ],
)
