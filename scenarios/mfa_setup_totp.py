"""MFA required: a new user sets up an authenticator app (TOTP) before any tokens.

In a pool with MFA ON and TOTP as its method, an admin-created user answers the
new-password challenge and is at once challenged to set up MFA (MFA_SETUP). With the
session of that challenge the user gets a secret (AssociateSoftwareToken), proves the
authenticator with a code (VerifySoftwareToken: a wrong code is
EnableSoftwareTokenMFAException, and the set-up may be retried), and answers MFA_SETUP
with the session VerifySoftwareToken returned: tokens. From then on every sign-in asks
for a TOTP code (SOFTWARE_TOKEN_MFA); a wrong one is CodeMismatchException. The codes
are computed from the secret with pyotp.
"""

from cognito_states import Pool, Scenario, step

SCENARIO = Scenario(
    "MFA required: TOTP set up from MFA_SETUP to tokens",
    pool=Pool(mfa="ON", mfa_methods=["SOFTWARE_TOKEN_MFA"]),
    steps=[
        # S1 AdminCreateUser
        step.admin_create_user().expect(status="FORCE_CHANGE_PASSWORD", mfa_methods=[]),
        # S15: the temporary password answers NEW_PASSWORD_REQUIRED first
        step.admin_initiate_auth().expect(outcome="challenge:NEW_PASSWORD_REQUIRED"),
        # S19: "Amazon Cognito immediately challenges the user to set up MFA"
        step.admin_respond_to_auth_challenge().expect(
            status="CONFIRMED", outcome="challenge:MFA_SETUP"
        ),
        # S1 InitiateAuth (MFA_SETUP), S1 AssociateSoftwareToken: the challenge's session
        step.associate_software_token().expect(outcome="ok"),
        # S1 VerifySoftwareToken, I19: a wrong code, and the set-up goes on
        step.verify_software_token(wrong_code=True).expect(
            outcome="error:EnableSoftwareTokenMFAException"
        ),
        # S1 VerifySoftwareToken: SUCCESS, and a session that satisfies MFA_SETUP
        step.verify_software_token().expect(outcome="ok"),
        # S1 InitiateAuth (MFA_SETUP): tokens; I23: the method list stays empty
        step.admin_respond_to_auth_challenge().expect(outcome="tokens", mfa_methods=[]),
        # S22: set up, so every sign-in asks for a TOTP code
        step.initiate_auth().expect(outcome="challenge:SOFTWARE_TOKEN_MFA"),
        # S1 RespondToAuthChallenge, I20
        step.respond_to_auth_challenge(wrong_code=True).expect(
            outcome="error:CodeMismatchException"
        ),
        step.initiate_auth().expect(outcome="challenge:SOFTWARE_TOKEN_MFA"),
        # S1 RespondToAuthChallenge: the authenticator's code
        step.respond_to_auth_challenge().expect(outcome="tokens", status="CONFIRMED"),
        # S22: the admin flow asks for the code too
        step.admin_initiate_auth().expect(outcome="challenge:SOFTWARE_TOKEN_MFA"),
    ],
)
