"""A user who signs up alone must confirm the emailed code before signing in.

SignUp creates the user as UNCONFIRMED and sends a code to the address in
auto_verified_attributes. Until the code comes back, every sign-in is refused with
UserNotConfirmedException. ConfirmSignUp with the code makes the user CONFIRMED and
marks the email as verified, since the code proved the user can read it.
"""

from cognito_states import Pool, Scenario, step

SCENARIO = Scenario(
    "self sign-up needs the emailed code",
    pool=Pool(auto_verified_attributes=["email"]),
    steps=[
        # S1 SignUp, S4: new users are UNCONFIRMED, email unverified until confirmed
        step.sign_up().expect(status="UNCONFIRMED", email_verified=False),
        # I2 (OBS, AWS staff: intended); S1 InitiateAuth error list
        step.initiate_auth(auth_flow="USER_PASSWORD_AUTH").expect(
            outcome="error:UserNotConfirmedException", status="UNCONFIRMED"
        ),
        # S1 AdminInitiateAuth error list; rules table "UNCONFIRMED" row (I2)
        step.admin_initiate_auth().expect(
            outcome="error:UserNotConfirmedException", status="UNCONFIRMED"
        ),
        # S1 ConfirmSignUp, S4: confirms and verifies the attribute the code went to
        step.confirm_sign_up().expect(status="CONFIRMED", email_verified=True),
        # S16 initiate-auth example output
        step.initiate_auth(auth_flow="USER_PASSWORD_AUTH").expect(outcome="tokens"),
    ],
)
