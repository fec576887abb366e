"""Small pieces of English shared by the messages and pictures."""


def count(n: int, singular: str, plural: str | None = None) -> str:
    """'1 relation', '3 relations', '2 entities' (with plural='entities')."""
    return f"{n:,} {singular if n == 1 else plural or singular + 's'}"
