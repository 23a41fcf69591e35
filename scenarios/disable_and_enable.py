"""Disabling a user is a switch beside the status, not a status of its own.

AdminDisableUser sets Enabled to false and leaves the status CONFIRMED. A disabled
user cannot sign in, and the tokens they held are revoked. AdminEnableUser turns
sign-in back on; the revoked tokens stay dead, so the user signs in again.
"""

from cognito_states import Pool, Scenario, step

SCENARIO = Scenario(
    "disabled user cannot sign in until enabled",
    pool=Pool(),
    steps=[
        # S1 AdminCreateUser, S16: new users are enabled
        step.admin_create_user().expect(status="FORCE_CHANGE_PASSWORD", enabled=True),
        # S1 AdminSetUserPassword (Permanent=true)
        step.admin_set_user_password(permanent=True).expect(status="CONFIRMED"),
        # S16 admin-initiate-auth example output
        step.admin_initiate_auth().expect(outcome="tokens"),
        # S1 AdminDisableUser, S4: Enabled=false, status unchanged
        step.admin_disable_user().expect(enabled=False, status="CONFIRMED"),
        # I1 (OBS): NotAuthorizedException "User is disabled."
        step.admin_initiate_auth().expect(
            outcome="error:NotAuthorizedException", enabled=False, status="CONFIRMED"
        ),
        # S1 AdminDisableUser "revokes all access tokens"; I10 (OBS) error class
        step.get_user().expect(outcome="error:NotAuthorizedException"),
        # I11 (OBS): an old refresh token fails after disable
        step.initiate_auth(auth_flow="REFRESH_TOKEN_AUTH").expect(
            outcome="error:NotAuthorizedException"
        ),
        # S1 AdminEnableUser
        step.admin_enable_user().expect(enabled=True, status="CONFIRMED"),
        # S16 admin-initiate-auth example output
        step.admin_initiate_auth().expect(outcome="tokens"),
    ],
)
