"""The closed sets of cognito-states: user statuses, token states, confidence tags,
verdicts and exit codes, spelt exactly as AWS spells them (operations: operations.py).
"""

from __future__ import annotations

from enum import IntEnum, StrEnum


class Status(StrEnum):
    """A user's ``UserStatus`` as AdminGetUser reports it (UserStatusType)."""

    UNCONFIRMED = "UNCONFIRMED"
    CONFIRMED = "CONFIRMED"
    FORCE_CHANGE_PASSWORD = "FORCE_CHANGE_PASSWORD"
    RESET_REQUIRED = "RESET_REQUIRED"
    # Federated profiles; no operation of this tool reaches it (no IdP sign-in).
    EXTERNAL_PROVIDER = "EXTERNAL_PROVIDER"


# The model's name for "no such user": a valid Mermaid and Graphviz node name.
NO_USER = "NO_USER"

# In the API enum but never produced today: "The statuses ARCHIVED, UNKNOWN, and
# COMPROMISED are no longer used." (UserType.UserStatus, API reference).
OBSOLETE_STATUSES: dict[str, str] = {
    "ARCHIVED": "old docs: no longer active; no longer used (API reference, UserType)",
    "COMPROMISED": "old docs: disabled for a security threat; no longer used (UserType)",
    "UNKNOWN": "status isn't known; still listed by AdminGetUser, never produced",
}

# The statuses that real operations of this tool can reach, plus "no such user".
MODEL_STATES: tuple[str, ...] = (
    NO_USER,
    Status.UNCONFIRMED,
    Status.CONFIRMED,
    Status.FORCE_CHANGE_PASSWORD,
    Status.RESET_REQUIRED,
    Status.EXTERNAL_PROVIDER,
)


class Tokens(StrEnum):
    """What the user's client holds: no tokens, tokens Cognito accepts, revoked ones."""

    none = "none"
    valid = "valid"
    revoked = "revoked"


class Confidence(StrEnum):
    """How a rule is known (its sources: ``cognito-states sources ID``)."""

    DOC = "DOC"  # AWS documentation or the API model
    EX = "EX"  # official AWS example output
    OBS = "OBS"  # observed on real Cognito and reported publicly
    # Sources disagree: the rule predicts one outcome and names the other with its source;
    # a backend showing either is a match, and a real pool showing one settles it.
    DISPUTED = "DISPUTED"
    INFERRED = "INFERRED"  # follows from documented rules, not stated anywhere
    UNCONFIRMED = "UNCONFIRMED"  # no source found: our best guess


class Verdict(StrEnum):
    match = "match"
    mismatch = "mismatch"
    known_gap = "known-gap"
    unsupported = "unsupported"
    skipped = "skipped"
    # explore only: the backend did not let the user reach the pair's state
    diverted = "diverted"


class ExitCode(IntEnum):
    OK = 0
    MISMATCH = 1
    INTERRUPTED = 2
    BACKEND_ERROR = 3
    BAD_INPUT = 4
    NO_SCENARIO = 5


# Outcomes are strings: ok, tokens, n/a, unsupported, challenge:<NAME>, error:<Code>.
OK = "ok"
TOKENS = "tokens"
NA = "n/a"
UNSUPPORTED = "unsupported"
NEW_PASSWORD_REQUIRED = "NEW_PASSWORD_REQUIRED"
CHALLENGE_NPR = "challenge:NEW_PASSWORD_REQUIRED"


def error(code: str) -> str:
    return f"error:{code}"


# Error codes Cognito's API model names (cognito-idp 2016-04-18, botocore 1.44), plus
# InternalError for a backend crash. Used to catch a misspelt expected outcome.
ERROR_CODES: frozenset[str] = frozenset(
    {
        "AccessDeniedException",
        "AliasExistsException",
        "CachedCIMDURLDoesNotExistException",
        "CodeDeliveryFailureException",
        "CodeMismatchException",
        "ConcurrentModificationException",
        "DeviceKeyExistsException",
        "DuplicateProviderException",
        "EnableSoftwareTokenMFAException",
        "ExpiredCodeException",
        "FeatureUnavailableInTierException",
        "ForbiddenException",
        "GroupExistsException",
        "InternalError",
        "InternalErrorException",
        "InternalServerException",
        "InvalidEmailRoleAccessPolicyException",
        "InvalidLambdaResponseException",
        "InvalidOAuthFlowException",
        "InvalidParameterException",
        "InvalidPasswordException",
        "InvalidSmsRoleAccessPolicyException",
        "InvalidSmsRoleTrustRelationshipException",
        "InvalidUserPoolConfigurationException",
        "LimitExceededException",
        "MFAMethodNotFoundException",
        "ManagedLoginBrandingExistsException",
        "NotAuthorizedException",
        "OperationNotEnabledException",
        "PasswordHistoryPolicyViolationException",
        "PasswordResetRequiredException",
        "PreconditionNotMetException",
        "RefreshTokenReuseException",
        "ResourceNotFoundException",
        "ScopeDoesNotExistException",
        "ServiceQuotaExceededException",
        "SoftwareTokenMFANotFoundException",
        "TermsExistsException",
        "TierChangeNotAllowedException",
        "TooManyFailedAttemptsException",
        "TooManyRequestsException",
        "UnauthorizedException",
        "UnexpectedLambdaException",
        "UnsupportedIdentityProviderException",
        "UnsupportedOperationException",
        "UnsupportedTokenTypeException",
        "UnsupportedUserStateException",
        "UserImportInProgressException",
        "UserLambdaValidationException",
        "UserNotConfirmedException",
        "UserNotFoundException",
        "UserPoolAddOnNotEnabledException",
        "UserPoolTaggingException",
        "UsernameExistsException",
        "WebAuthnChallengeNotFoundException",
        "WebAuthnClientMismatchException",
        "WebAuthnConfigurationMissingException",
        "WebAuthnCredentialNotSupportedException",
        "WebAuthnNotEnabledException",
        "WebAuthnOriginNotAllowedException",
        "WebAuthnRelyingPartyMismatchException",
    }
)
CHALLENGE_NAMES: frozenset[str] = frozenset(
    {
        "SMS_MFA",
        "EMAIL_OTP",
        "SOFTWARE_TOKEN_MFA",
        "SELECT_MFA_TYPE",
        "MFA_SETUP",
        "PASSWORD_VERIFIER",
        "CUSTOM_CHALLENGE",
        "SELECT_CHALLENGE",
        "DEVICE_SRP_AUTH",
        "DEVICE_PASSWORD_VERIFIER",
        "ADMIN_NO_SRP_AUTH",
        "NEW_PASSWORD_REQUIRED",
        "SMS_OTP",
        "PASSWORD",
        "WEB_AUTHN",
        "PASSWORD_SRP",
    }
)
