"""A mistyped code is refused and changes nothing; the right code still works.

ConfirmSignUp and ConfirmForgotPassword answer a wrong code with
CodeMismatchException and leave the status alone. ResendConfirmationCode sends a
fresh sign-up code without changing the status either. Once confirmed, the user
can reset a forgotten password the same way, typo included.
"""

from cognito_states import Pool, Scenario, step

SCENARIO = Scenario(
    "wrong codes are refused without side effects",
    pool=Pool(auto_verified_attributes=["email"]),
    steps=[
        # S1 SignUp, S4
        step.sign_up().expect(status="UNCONFIRMED"),
        # S1 ConfirmSignUp: wrong code
        step.confirm_sign_up(wrong_code=True).expect(
            outcome="error:CodeMismatchException", status="UNCONFIRMED"
        ),
        # S1 ResendConfirmationCode: no status change
        step.resend_confirmation_code().expect(outcome="ok", status="UNCONFIRMED"),
        # S1 ConfirmSignUp, S4: confirms and verifies the attribute the code went to
        step.confirm_sign_up().expect(status="CONFIRMED", email_verified=True),
        # S1 ForgotPassword; I16 (OBS): no status change
        step.forgot_password().expect(outcome="ok", status="CONFIRMED"),
        # S1 ConfirmForgotPassword, S5: wrong code
        step.confirm_forgot_password(wrong_code=True).expect(
            outcome="error:CodeMismatchException", status="CONFIRMED"
        ),
        # S1 ConfirmForgotPassword
        step.confirm_forgot_password().expect(outcome="ok", status="CONFIRMED"),
        # S16 initiate-auth example output (the new password)
        step.initiate_auth(auth_flow="USER_PASSWORD_AUTH").expect(outcome="tokens"),
    ],
)
