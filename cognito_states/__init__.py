"""cognito-states: Amazon Cognito's user-account statuses as a model you can run and test."""

from cognito_states.scenario import Pool, Scenario, step

__all__ = ["Pool", "Scenario", "step"]
