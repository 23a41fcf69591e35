"""With PreventUserExistenceErrors ENABLED, forgot-password in FORCE_CHANGE_PASSWORD is silent.

In a LEGACY pool (forgot_password_force_change.py) ForgotPassword refuses a user who
still holds a temporary password. In a pool that hides which users exist, Cognito
instead answers as if it had sent a code (the simulated CodeDeliveryDetails): no code
is sent and the status stays FORCE_CHANGE_PASSWORD.
"""

from cognito_states import Pool, Scenario, step

SCENARIO = Scenario(
    "forgot-password in FORCE_CHANGE_PASSWORD is silent (ENABLED pool)",
    pool=Pool(prevent_user_existence_errors="ENABLED"),
    steps=[
        # S1 AdminCreateUser: email_verified may be set to true at creation
        step.admin_create_user(email_verified=True).expect(
            status="FORCE_CHANGE_PASSWORD", email_verified=True
        ),
        # E4 (OBS): the simulated answer, nothing sent, status unchanged
        step.forgot_password().expect(outcome="ok", status="FORCE_CHANGE_PASSWORD"),
        # S15 admin-initiate-auth: the temporary password still works
        step.admin_initiate_auth().expect(outcome="challenge:NEW_PASSWORD_REQUIRED"),
    ],
)
