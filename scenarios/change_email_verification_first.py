"""A pool can keep the old, verified email until the new one is proven.

With attributes_require_verification_before_update=["email"], an email change waits:
Cognito keeps the original address, still verified, and sends a code to the new
one. Until the user verifies it, email_verified stays true and sign-in is unchanged.
"""

from cognito_states import Pool, Scenario, step

SCENARIO = Scenario(
    "email change waits for verification",
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
        # S1 AdminUpdateUserAttributes, S10: original value kept and still verified
        step.admin_update_user_attributes(new_email=True).expect(
            email_verified=True, status="CONFIRMED"
        ),
        # S16 admin-initiate-auth example output
        step.admin_initiate_auth().expect(outcome="tokens"),
    ],
)
