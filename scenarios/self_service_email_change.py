"""The user changes their own email and proves the new address with a code.

In a pool that auto-verifies email (and does not keep the old address until the new
one is verified), UpdateUserAttributes with the user's access token replaces the
address at once and marks it unverified; Cognito mails a code to the new address. The
user can ask for a code again (GetUserAttributeVerificationCode); VerifyUserAttribute
with a wrong code changes nothing, with the right one email_verified is true again.
The status stays CONFIRMED throughout.
"""

from cognito_states import Pool, Scenario, step

SCENARIO = Scenario(
    "user changes their email and verifies it",
    pool=Pool(auto_verified_attributes=["email"]),
    steps=[
        # S1 AdminCreateUser: email_verified may be set to true at creation
        step.admin_create_user(email_verified=True).expect(
            status="FORCE_CHANGE_PASSWORD", email_verified=True
        ),
        # S1 AdminSetUserPassword (Permanent=true)
        step.admin_set_user_password(permanent=True).expect(status="CONFIRMED"),
        # S16 initiate-auth example output: the user signs in and holds tokens
        step.initiate_auth().expect(outcome="tokens"),
        # S1 UpdateUserAttributes, S10: the new address replaces the old, unverified,
        # and a code goes to it (CodeDeliveryDetailsList)
        step.update_user_attributes(new_email=True).expect(
            outcome="ok", email_verified=False, status="CONFIRMED"
        ),
        # S1 GetUserAttributeVerificationCode, S10: a code for the email, again
        step.get_user_attribute_verification_code().expect(outcome="ok", email_verified=False),
        # S1 VerifyUserAttribute: a code that is not the one sent
        step.verify_user_attribute(wrong_code=True).expect(
            outcome="error:CodeMismatchException", email_verified=False
        ),
        # S1 VerifyUserAttribute, S10: the code verifies the new address
        step.verify_user_attribute().expect(outcome="ok", email_verified=True, status="CONFIRMED"),
    ],
)
