"""`zhclean dedup`: corpus-level near-duplicate removal (added with the dedup engine)."""


def add_parser(sub, common) -> None:
    return None
