"""The service's configuration from environment variables (``ordergroove gladly serve``).

The Ordergroove client reads its own (``ORDERGROOVE_API_KEY``, ``ORDERGROOVE_ENVIRONMENT``, ``ORDERGROOVE_BASE_URL``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

import attrs

from ordergroove.errors import ConfigurationError
from ordergroove.gladly._service import DEFAULT_DEADLINE, GLADLY_LIMIT, check_seconds
from ordergroove.gladly._signing import utf8_bytes

__all__ = [
    "BASIC_AUTH_PASSWORD_ENV",
    "BASIC_AUTH_USER_ENV",
    "DEADLINE_ENV",
    "GLADLY_API_TOKEN_ENV",
    "GLADLY_HOST_ENV",
    "GLADLY_USER_ENV",
    "SIGNING_KEY_ENV",
    "ServiceConfig",
]

SIGNING_KEY_ENV = "GLADLY_SIGNING_KEY"
BASIC_AUTH_USER_ENV = "GLADLY_BASIC_AUTH_USER"
BASIC_AUTH_PASSWORD_ENV = "GLADLY_BASIC_AUTH_PASSWORD"
GLADLY_HOST_ENV = "GLADLY_HOST"
GLADLY_USER_ENV = "GLADLY_USER"
GLADLY_API_TOKEN_ENV = "GLADLY_API_TOKEN"
DEADLINE_ENV = "GLADLY_DEADLINE"

# Plain decimal seconds in ASCII digits: float() would also take "nan", "1e1", "1_0" and other scripts' digits.
_SECONDS_RE = re.compile(r"[0-9]{1,6}(\.[0-9]{1,6})?")


@attrs.frozen
class ServiceConfig:
    """What the service needs besides the Ordergroove client. Secrets are kept out of the repr."""

    signing_key: str = attrs.field(repr=False)
    basic_auth: tuple[str, str] | None = attrs.field(default=None, repr=False)
    gladly_host: str | None = None
    gladly_user: str | None = None
    gladly_api_token: str | None = attrs.field(default=None, repr=False)
    deadline: float = DEFAULT_DEADLINE

    @property
    def timeline_notes(self) -> bool:
        """Whether performed actions write timeline notes (Gladly's REST API is configured)."""
        return self.gladly_host is not None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ServiceConfig:
        """Read the ``GLADLY_*`` variables (``environ`` default: ``os.environ``); raise ConfigurationError
        naming the variable that is missing or wrong (never its value)."""
        env = os.environ if environ is None else environ

        def get(name: str) -> str | None:
            value = env.get(name, "").strip()
            return value or None

        # Every problem is reported at once, each naming its variable: an operator fixes them in one go.
        problems: list[str] = []
        signing_key = get(SIGNING_KEY_ENV)
        if signing_key is None:
            problems.append(f"set {SIGNING_KEY_ENV} to the signing key configured in Gladly")
        # os.environ holds bytes that are not UTF-8 as lone surrogates: refused here, by name, never quoted.
        texts = (SIGNING_KEY_ENV, BASIC_AUTH_USER_ENV, BASIC_AUTH_PASSWORD_ENV, GLADLY_HOST_ENV, GLADLY_USER_ENV)
        for name in (*texts, GLADLY_API_TOKEN_ENV):
            value = get(name)
            if value is not None:
                try:
                    utf8_bytes(value, name)
                except ConfigurationError as exc:
                    problems.append(exc.message)

        user, password = get(BASIC_AUTH_USER_ENV), get(BASIC_AUTH_PASSWORD_ENV)
        if (user is None) != (password is None):
            problems.append(f"set both {BASIC_AUTH_USER_ENV} and {BASIC_AUTH_PASSWORD_ENV}, or neither")

        rest = {GLADLY_HOST_ENV: get(GLADLY_HOST_ENV), GLADLY_USER_ENV: get(GLADLY_USER_ENV)}
        rest[GLADLY_API_TOKEN_ENV] = get(GLADLY_API_TOKEN_ENV)
        if any(value is not None for value in rest.values()) and not all(rest.values()):
            missing = ", ".join(name for name, value in rest.items() if value is None)
            problems.append(
                f"timeline notes need {GLADLY_HOST_ENV}, {GLADLY_USER_ENV} and "
                f"{GLADLY_API_TOKEN_ENV}; missing: {missing}"
            )

        deadline = DEFAULT_DEADLINE
        deadline_text = get(DEADLINE_ENV)
        if deadline_text is not None:
            if not _SECONDS_RE.fullmatch(deadline_text):
                problems.append(f"{DEADLINE_ENV} must be a number of seconds like 8 or 8.5")
            else:
                try:
                    deadline = check_seconds(DEADLINE_ENV, float(deadline_text), most=GLADLY_LIMIT)
                except ConfigurationError as exc:
                    problems.append(exc.message)

        if problems or signing_key is None:
            raise ConfigurationError("; ".join(problems))
        return cls(
            signing_key=signing_key,
            basic_auth=(user, password) if user is not None and password is not None else None,
            gladly_host=rest[GLADLY_HOST_ENV],
            gladly_user=rest[GLADLY_USER_ENV],
            gladly_api_token=rest[GLADLY_API_TOKEN_ENV],
            deadline=deadline,
        )
