"""The one exception a user should ever see: bad input, told in one line."""


class ConfigError(ValueError):
    """A setting is outside what the model allows; the message says what and what is allowed."""
