"""Japanese messages: comparison."""

MESSAGES: dict[str, str] = {}
