"""A pool where users sign in with their phone number, which Cognito verifies.

Sign-up with a phone number as the username: the user is UNCONFIRMED and the number
unverified; Cognito texts a code (the pool auto-verifies phone numbers), and
ConfirmSignUp with it confirms the user and marks the number verified. The user signs
in with the number. An admin who gives the user a new number makes it unverified at
once (Cognito texts a code to it); one who marks it verified in the same call skips
the code.

On a real pool the user's number is yours (--phone): the new number, which would be
made up, is skipped there.
"""

from cognito_states import Pool, Scenario, step

SCENARIO = Scenario(
    "phone-number username with an auto-verified phone",
    pool=Pool(username_attributes=["phone_number"], auto_verified_attributes=["phone_number"]),
    steps=[
        # S1 SignUp, S4: the code goes to the phone
        step.sign_up().expect(status="UNCONFIRMED", phone_number_verified=False),
        # S4: "automatically marks the attribute that was used to confirm ... as verified"
        step.confirm_sign_up().expect(status="CONFIRMED", phone_number_verified=True),
        # S11: the phone number signs in
        step.initiate_auth().expect(outcome="tokens"),
        # S1 AdminUpdateUserAttributes, S10: a new number, unverified at once
        step.admin_update_user_attributes(new_phone=True).expect(
            outcome="ok", phone_number_verified=False, status="CONFIRMED"
        ),
        # S1 AdminUpdateUserAttributes: an admin may mark it verified
        step.admin_update_user_attributes(phone_verified=True).expect(phone_number_verified=True),
        # S1 AdminUpdateUserAttributes, S10: new and verified in one call
        step.admin_update_user_attributes(new_phone=True, phone_verified=True).expect(
            phone_number_verified=True
        ),
        # S11: the new number signs in
        step.initiate_auth().expect(outcome="tokens"),
    ],
)
