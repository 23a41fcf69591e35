"""Forgot-password through a verified phone when the email is not verified.

The pool's AccountRecoverySetting lists the verified email first, then the verified
phone. This user's email is unverified and its phone number verified, so ForgotPassword
texts the code to the phone and ConfirmForgotPassword sets the new password. Once the
phone is unverified too, there is nowhere to send a code: InvalidParameterException.
"""

from cognito_states import Pool, Scenario, step

SCENARIO = Scenario(
    "forgot-password through a verified phone, no verified email",
    pool=Pool(account_recovery=["verified_email", "verified_phone_number"]),
    steps=[
        # S1 AdminCreateUser: phone_number_verified set with the number (R38)
        step.admin_create_user(phone=True, phone_verified=True).expect(
            status="FORCE_CHANGE_PASSWORD", email_verified=False, phone_number_verified=True
        ),
        step.admin_set_user_password(permanent=True).expect(status="CONFIRMED"),
        # S1 AccountRecoverySetting, S8: falls back to the verified phone
        step.forgot_password().expect(outcome="ok", status="CONFIRMED"),
        # S1 ConfirmForgotPassword
        step.confirm_forgot_password().expect(outcome="ok", status="CONFIRMED"),
        step.initiate_auth().expect(outcome="tokens"),
        # S1 AdminUpdateUserAttributes
        step.admin_update_user_attributes(phone_verified=False).expect(phone_number_verified=False),
        # S1 ForgotPassword: "If neither a verified phone number nor a verified email
        # exists, Amazon Cognito responds with an InvalidParameterException error."
        step.forgot_password().expect(outcome="error:InvalidParameterException"),
    ],
)
