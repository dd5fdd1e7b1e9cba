"""Japanese messages: classroom."""

MESSAGES: dict[str, str] = {}
