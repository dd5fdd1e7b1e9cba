"""Japanese messages: bernoulli."""

MESSAGES: dict[str, str] = {}
