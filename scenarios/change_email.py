"""Changing a user's email makes it unverified, unless the admin says otherwise.

In a pool without attributes_require_verification_before_update, a new email takes
effect at once and email_verified turns false: nobody has proved the new address.
An admin who already trusts the address can send email_verified=true in the same
call. Neither change touches the status.
"""

from cognito_states import Pool, Scenario, step

SCENARIO = Scenario(
    "new email is unverified until proven",
    pool=Pool(),
    steps=[
        # S1 AdminCreateUser: email_verified may be set to true at creation
        step.admin_create_user(email_verified=True).expect(
            status="FORCE_CHANGE_PASSWORD", email_verified=True
        ),
        # S1 AdminSetUserPassword (Permanent=true)
        step.admin_set_user_password(permanent=True).expect(status="CONFIRMED"),
        # S1 AdminUpdateUserAttributes, S10: new value is marked unverified
        step.admin_update_user_attributes(new_email=True).expect(
            email_verified=False, status="CONFIRMED"
        ),
        # S1 AdminUpdateUserAttributes, S10: email_verified=true in the same call
        step.admin_update_user_attributes(new_email=True, email_verified=True).expect(
            email_verified=True, status="CONFIRMED"
        ),
        # S16 admin-initiate-auth example output (the password is untouched)
        step.admin_initiate_auth().expect(outcome="tokens"),
    ],
)
