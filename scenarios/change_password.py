"""A signed-in user changes their own password with their access token.

ChangePassword needs the user's access token, so a user who has never signed in
cannot call it at all. With a token, a wrong old password is refused with
NotAuthorizedException; the right one sets the new password. The status stays
CONFIRMED throughout, and the new password is the one that signs in.
"""

from cognito_states import Pool, Scenario, step

SCENARIO = Scenario(
    "signed-in user changes their password",
    pool=Pool(),
    steps=[
        # S1 AdminCreateUser
        step.admin_create_user().expect(status="FORCE_CHANGE_PASSWORD"),
        # S1 AdminSetUserPassword (Permanent=true)
        step.admin_set_user_password(permanent=True).expect(status="CONFIRMED"),
        # S1 ChangePassword: AccessToken is required, and this user holds none yet
        step.change_password().expect(outcome="n/a"),
        # S16 admin-initiate-auth example output
        step.admin_initiate_auth().expect(outcome="tokens"),
        # amplify-js#1580 (OBS): wrong previous password
        step.change_password(wrong_password=True).expect(
            outcome="error:NotAuthorizedException", status="CONFIRMED"
        ),
        # S1 ChangePassword
        step.change_password().expect(outcome="ok", status="CONFIRMED"),
        # S16 admin-initiate-auth example output (the new password)
        step.admin_initiate_auth().expect(outcome="tokens"),
    ],
)
