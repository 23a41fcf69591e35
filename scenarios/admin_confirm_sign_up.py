"""An admin can confirm a signed-up user without the code, but nothing gets verified.

AdminConfirmSignUp moves an UNCONFIRMED user to CONFIRMED, so sign-in works.
Unlike ConfirmSignUp it proves nothing about the user's email, so email_verified
stays false even in a pool that auto-verifies email.
"""

from cognito_states import Pool, Scenario, step

SCENARIO = Scenario(
    "admin confirms a sign-up without verifying email",
    pool=Pool(auto_verified_attributes=["email"]),
    steps=[
        # S1 SignUp, S4
        step.sign_up().expect(status="UNCONFIRMED", email_verified=False),
        # S1 AdminConfirmSignUp, S4: confirms without verifying email or phone
        step.admin_confirm_sign_up().expect(status="CONFIRMED", email_verified=False),
        # S16 initiate-auth example output (CONFIRMED user, right password)
        step.initiate_auth(auth_flow="USER_PASSWORD_AUTH").expect(outcome="tokens"),
    ],
)
