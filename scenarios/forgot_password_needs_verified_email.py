"""Forgot-password needs somewhere verified to send the code.

A user confirmed by an admin (AdminConfirmSignUp) has an unverified email, so
ForgotPassword fails with InvalidParameterException: Cognito will not send a
recovery code to an address nobody has proved. Once the admin marks the email
verified, the same user can reset the password.
"""

from cognito_states import Pool, Scenario, step

SCENARIO = Scenario(
    "forgot-password needs a verified email",
    pool=Pool(auto_verified_attributes=["email"]),
    steps=[
        # S1 SignUp, S4
        step.sign_up().expect(status="UNCONFIRMED", email_verified=False),
        # S1 AdminConfirmSignUp, S4: confirms without verifying email or phone
        step.admin_confirm_sign_up().expect(status="CONFIRMED", email_verified=False),
        # S1 ForgotPassword, S17: no verified email or phone
        step.forgot_password().expect(
            outcome="error:InvalidParameterException", status="CONFIRMED"
        ),
        # S1 AdminUpdateUserAttributes, S10: admin sets email_verified=true
        step.admin_update_user_attributes(email_verified=True).expect(
            email_verified=True, status="CONFIRMED"
        ),
        # S1 ForgotPassword; I16 (OBS): no status change
        step.forgot_password().expect(outcome="ok", status="CONFIRMED"),
        # S1 ConfirmForgotPassword
        step.confirm_forgot_password().expect(outcome="ok", status="CONFIRMED"),
        # S16 initiate-auth example output (the new password)
        step.initiate_auth(auth_flow="USER_PASSWORD_AUTH").expect(outcome="tokens"),
    ],
)
