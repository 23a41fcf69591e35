"""The seven calls from the article this project grew from, replayed.

An admin creates a user, who starts in FORCE_CHANGE_PASSWORD. A temporary password
keeps the user there, so sign-in answers with a NEW_PASSWORD_REQUIRED challenge.
Only when the admin sets a permanent password does the status become CONFIRMED,
and then sign-in returns tokens.
"""

from cognito_states import Pool, Scenario, step

SCENARIO = Scenario(
    "admin-created user reaches CONFIRMED",
    pool=Pool(required_attributes=["email"], auto_verified_attributes=["email"]),
    steps=[
        # S1 AdminCreateUser, S16 admin-create-user; article step 1
        step.admin_create_user(email=False).expect(
            status="FORCE_CHANGE_PASSWORD", email_verified=False
        ),
        # S1 AdminSetUserPassword (Permanent=false); article step 2
        step.admin_set_user_password(permanent=False).expect(status="FORCE_CHANGE_PASSWORD"),
        # S1 AdminUpdateUserAttributes; article step 3
        step.admin_update_user_attributes(email_verified=True).expect(email_verified=True),
        # S15 admin-initiate-auth, S1 AdminSetUserPassword; article step 4
        step.admin_initiate_auth().expect(outcome="challenge:NEW_PASSWORD_REQUIRED"),
        step.admin_user_global_sign_out(),
        # S1 AdminSetUserPassword (Permanent=true); article step 6
        step.admin_set_user_password(permanent=True).expect(status="CONFIRMED"),
        # S16 admin-initiate-auth example output; article step 7
        step.admin_initiate_auth().expect(outcome="tokens"),
    ],
)
