"""Japanese messages: charts."""

MESSAGES: dict[str, str] = {}
