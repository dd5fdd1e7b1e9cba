"""Japanese messages: questions."""

MESSAGES: dict[str, str] = {}
