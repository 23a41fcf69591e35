"""An admin cannot reset the password of a user Cognito has nowhere to send a code to.

AdminResetUserPassword mails the user a reset code. A user without a verified email
(or phone) cannot get one, so Cognito refuses with InvalidParameterException ("Cannot
reset password for the user as there is no registered/verified email or phone_number")
and nothing changes: the user stays CONFIRMED and signs in as before. Once the admin
marks the email verified, the same reset works.
"""

from cognito_states import Pool, Scenario, step

SCENARIO = Scenario(
    "admin reset needs a verified email",
    pool=Pool(),
    steps=[
        # S1 AdminCreateUser: email_verified is not set unless the call sets it
        step.admin_create_user().expect(status="FORCE_CHANGE_PASSWORD", email_verified=False),
        # S1 AdminSetUserPassword (Permanent=true)
        step.admin_set_user_password(permanent=True).expect(status="CONFIRMED"),
        # E1 (OBS, a test against a real pool): refused, status unchanged
        step.admin_reset_user_password().expect(
            outcome="error:InvalidParameterException", status="CONFIRMED"
        ),
        # S16 admin-initiate-auth example output: the password still works
        step.admin_initiate_auth().expect(outcome="tokens"),
        # S1 AdminUpdateUserAttributes, S10: admin sets email_verified=true
        step.admin_update_user_attributes(email_verified=True).expect(email_verified=True),
        # S3 AdminResetUserPassword, S14; E5: a reset code is sent
        step.admin_reset_user_password().expect(outcome="ok", status="RESET_REQUIRED"),
    ],
)
