"""An admin can skip sign-up confirmation by setting a permanent password.

AdminSetUserPassword with Permanent=true on an UNCONFIRMED user was observed to
make the user CONFIRMED, so sign-in works without any code. This rests on a single
public report, not on AWS documentation; if it ever fails, look here first.
"""

from cognito_states import Pool, Scenario, step

SCENARIO = Scenario(
    "permanent password confirms a signed-up user",
    pool=Pool(auto_verified_attributes=["email"]),
    steps=[
        # S1 SignUp, S4
        step.sign_up().expect(status="UNCONFIRMED"),
        # I5 (OBS, aws-sdk-js#2976): UNCONFIRMED -> CONFIRMED
        step.admin_set_user_password(permanent=True).expect(status="CONFIRMED"),
        # S16 initiate-auth example output (CONFIRMED user, right password)
        step.initiate_auth(auth_flow="USER_PASSWORD_AUTH").expect(outcome="tokens"),
    ],
)
