"""A user's own email change can wait for verification, keeping the old address.

With attributes_require_verification_before_update=["email"], UpdateUserAttributes
does not replace the address: the original stays, still verified, and Cognito mails a
code to the new one. VerifyUserAttribute with that code makes the new address the
user's email, verified. email_verified is true at every step.
"""

from cognito_states import Pool, Scenario, step

SCENARIO = Scenario(
    "user's email change waits for verification",
    pool=Pool(
        auto_verified_attributes=["email"],
        attributes_require_verification_before_update=["email"],
    ),
    steps=[
        # S1 AdminCreateUser: email_verified may be set to true at creation
        step.admin_create_user(email_verified=True).expect(
            status="FORCE_CHANGE_PASSWORD", email_verified=True
        ),
        # S1 AdminSetUserPassword (Permanent=true)
        step.admin_set_user_password(permanent=True).expect(status="CONFIRMED"),
        # S16 initiate-auth example output: the user signs in and holds tokens
        step.initiate_auth().expect(outcome="tokens"),
        # S1 UpdateUserAttributes, S10: the original value stays, verified; a code goes
        # to the new one
        step.update_user_attributes(new_email=True).expect(
            outcome="ok", email_verified=True, status="CONFIRMED"
        ),
        # S1 VerifyUserAttribute: a code that is not the one sent
        step.verify_user_attribute(wrong_code=True).expect(
            outcome="error:CodeMismatchException", email_verified=True
        ),
        # S1 VerifyUserAttribute, S10: the pending address takes effect, verified
        step.verify_user_attribute().expect(outcome="ok", email_verified=True),
    ],
)
