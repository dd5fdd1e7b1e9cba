"""Japanese messages: multiclass."""

MESSAGES: dict[str, str] = {}
