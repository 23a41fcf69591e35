"""MFA optional with SMS: the code comes by text, and answering it verifies the phone.

An admin gives the user a phone number (unverified) and turns SMS MFA on as the
preferred method. Every sign-in then answers SMS_MFA (Cognito texts a code); a wrong
code is CodeMismatchException, the right one gives tokens and marks the phone number
verified. On a real pool the number is yours (--phone) and each challenge texts it.
"""

from cognito_states import Pool, Scenario, step

SCENARIO = Scenario(
    "MFA optional: SMS MFA, and the phone verified by it",
    pool=Pool(mfa="OPTIONAL", mfa_methods=["SMS_MFA"]),
    steps=[
        step.admin_create_user(phone=True).expect(
            status="FORCE_CHANGE_PASSWORD", phone_number_verified=False
        ),
        step.admin_set_user_password(permanent=True).expect(status="CONFIRMED"),
        # S1 AdminSetUserMFAPreference
        step.admin_set_user_mfa_preference(preferred="sms").expect(
            outcome="ok", mfa_methods=["SMS_MFA"], preferred_mfa="SMS_MFA"
        ),
        # S1 SetUserMFAPreference: the preferred method at every sign-in
        step.admin_initiate_auth().expect(outcome="challenge:SMS_MFA"),
        # S1 RespondToAuthChallenge, I20
        step.admin_respond_to_auth_challenge(wrong_code=True).expect(
            outcome="error:CodeMismatchException", phone_number_verified=False
        ),
        step.initiate_auth().expect(outcome="challenge:SMS_MFA"),
        # S18, S20: SMS MFA completed marks the phone number verified
        step.respond_to_auth_challenge().expect(outcome="tokens", phone_number_verified=True),
    ],
)
