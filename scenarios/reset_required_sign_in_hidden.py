"""A disputed rule: how a RESET_REQUIRED user's sign-in fails in an ENABLED pool.

With PreventUserExistenceErrors ENABLED, AWS's documentation says a user who must reset
the password gets the generic NotAuthorizedException; an AWS engineer who tested it
(2020) saw PasswordResetRequiredException whichever the setting (D1). The model predicts
the documented answer and accepts the other, so this step passes with either; on a
real pool (--backend aws) its note says which one Cognito gave, which settles D1.
"""

from cognito_states import Pool, Scenario, step

SCENARIO = Scenario(
    "RESET_REQUIRED sign-in in an ENABLED pool (disputed, D1)",
    pool=Pool(prevent_user_existence_errors="ENABLED"),
    steps=[
        # S1 AdminCreateUser: email_verified may be set to true at creation
        step.admin_create_user(email_verified=True).expect(status="FORCE_CHANGE_PASSWORD"),
        # S1 AdminSetUserPassword (Permanent=true)
        step.admin_set_user_password(permanent=True).expect(status="CONFIRMED"),
        # S3 AdminResetUserPassword, S14
        step.admin_reset_user_password().expect(status="RESET_REQUIRED"),
        # D1 (DISPUTED): S5, S13 say NotAuthorizedException; AWS's test said
        # PasswordResetRequiredException. Expecting the latter passes too.
        step.initiate_auth(auth_flow="USER_PASSWORD_AUTH").expect(
            outcome="error:PasswordResetRequiredException", status="RESET_REQUIRED"
        ),
    ],
)
