"""MFA optional: a signed-in user turns TOTP MFA on for themselves.

With MFA OPTIONAL, a user with no method turned on signs in with a password alone.
Signed in, the user cannot turn TOTP on before an authenticator is verified
(InvalidParameterException). With the access token the user gets a secret
(AssociateSoftwareToken) and verifies a code (VerifySoftwareToken); that alone turns
nothing on. SetUserMFAPreference makes TOTP the preferred method: it is listed in
UserMFASettingList and PreferredMfaSetting, and every sign-in asks for a code. An admin
turns it off again (AdminSetUserMFAPreference) and the password alone signs in.
"""

from cognito_states import Pool, Scenario, step

SCENARIO = Scenario(
    "MFA optional: a signed-in user turns TOTP on",
    pool=Pool(mfa="OPTIONAL", mfa_methods=["SOFTWARE_TOKEN_MFA"]),
    steps=[
        step.admin_create_user().expect(status="FORCE_CHANGE_PASSWORD"),
        # S1 AdminSetUserPassword (Permanent=true)
        step.admin_set_user_password(permanent=True).expect(status="CONFIRMED"),
        # S1 SetUserPoolMfaConfig: OPTIONAL, no method turned on: tokens
        step.initiate_auth().expect(outcome="tokens", mfa_methods=[]),
        # S1 SetUserMFAPreference, I21: "User has not verified software token mfa"
        step.set_user_mfa_preference(totp=True).expect(
            outcome="error:InvalidParameterException", mfa_methods=[]
        ),
        # S1 AssociateSoftwareToken, S19: with the access token
        step.associate_software_token().expect(outcome="ok"),
        # S1 VerifySoftwareToken: verified, not turned on
        step.verify_software_token().expect(outcome="ok", mfa_methods=[], preferred_mfa=None),
        # S1 SetUserMFAPreference: turned on and preferred
        step.set_user_mfa_preference(preferred="totp").expect(
            outcome="ok",
            mfa_methods=["SOFTWARE_TOKEN_MFA"],
            preferred_mfa="SOFTWARE_TOKEN_MFA",
        ),
        # S1 SetUserMFAPreference: the preferred method at every sign-in
        step.initiate_auth().expect(outcome="challenge:SOFTWARE_TOKEN_MFA"),
        step.respond_to_auth_challenge(wrong_code=True).expect(
            outcome="error:CodeMismatchException"
        ),
        step.initiate_auth().expect(outcome="challenge:SOFTWARE_TOKEN_MFA"),
        step.respond_to_auth_challenge().expect(outcome="tokens"),
        step.admin_initiate_auth().expect(outcome="challenge:SOFTWARE_TOKEN_MFA"),
        step.admin_respond_to_auth_challenge().expect(outcome="tokens"),
        # S1 AdminSetUserMFAPreference: an admin turns it off (allowed: MFA is optional)
        step.admin_set_user_mfa_preference(totp=False).expect(
            outcome="ok", mfa_methods=[], preferred_mfa=None
        ),
        step.initiate_auth().expect(outcome="tokens"),
    ],
)
