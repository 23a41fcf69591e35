"""The model as a backend: what real Cognito would do, instantly, with no AWS and no
moto. For learning, and for checking scenarios' own expectations against the model.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from importlib.metadata import version

from cognito_states.model import INITIAL, CognitoModel, UserState
from cognito_states.scenario import Pool, Step
from cognito_states.views import Answer, View


class ModelUser:
    def __init__(self, model: CognitoModel) -> None:
        self.model = model
        self.state: UserState = INITIAL

    def act(self, step: Step) -> Answer:
        prediction = self.model.predict(self.state, step)
        self.state = prediction.state
        return prediction.answer

    def observe(self, answer: Answer) -> View:
        return View.of(self.state.as_dict(), answer)

    def close(self) -> None:
        self.state = INITIAL


class ModelBackend:
    name = "model"
    kind = "model"

    def __init__(self) -> None:
        self._models: dict[Pool, CognitoModel] = {}

    def versions(self) -> dict[str, str]:
        return {"transitions": version("transitions")}

    def open(self) -> None:
        return None

    def user(self, pool: Pool, label: str) -> ModelUser:
        model = self._models.get(pool)
        if model is None:
            model = self._models[pool] = CognitoModel(pool)
        return ModelUser(model)

    def fixed_pool(self) -> None:
        return None

    def prepare(self, pools: Sequence[Pool], texts: Callable[[Pool | None], int]) -> None:
        """Every pool can be made here, and nothing is texted."""

    def close(self) -> None:
        self._models.clear()
