"""Japanese messages: readings."""

MESSAGES: dict[str, str] = {}
