"""The domain's exceptions. Each carries a `reason` fit to put in a rejection event."""


class DomainError(Exception):
    """A business rule refused something; `reason` says which, as a readable sentence."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Rejected(DomainError):
    """The input breaks a rule (bad data from outside): reject it with the reason, carry on."""
