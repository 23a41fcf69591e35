"""Creating a user twice fails; RESEND is how an admin re-invites them.

A second AdminCreateUser for the same name fails with UsernameExistsException.
AdminCreateUser with MessageAction RESEND instead sends the invitation again with a
new temporary password, which restarts the temporary password's validity period.
The user stays in FORCE_CHANGE_PASSWORD until they answer NEW_PASSWORD_REQUIRED.
"""

from cognito_states import Pool, Scenario, step

SCENARIO = Scenario(
    "admin re-invites a user with RESEND",
    pool=Pool(),
    steps=[
        # S1 AdminCreateUser
        step.admin_create_user().expect(status="FORCE_CHANGE_PASSWORD"),
        # I8 (OBS): no MessageAction for an existing username
        step.admin_create_user().expect(
            outcome="error:UsernameExistsException", status="FORCE_CHANGE_PASSWORD"
        ),
        # S1 AdminCreateUser MessageAction=RESEND: new temporary password
        step.admin_create_user(message_action="RESEND").expect(
            outcome="ok", status="FORCE_CHANGE_PASSWORD"
        ),
        # S15 admin-initiate-auth (with the resent temporary password)
        step.admin_initiate_auth().expect(outcome="challenge:NEW_PASSWORD_REQUIRED"),
        # S7, S16 admin-respond-to-auth-challenge
        step.admin_respond_to_auth_challenge().expect(outcome="tokens", status="CONFIRMED"),
    ],
)
