"""How authors appear on the boards: a stable pseudonymous tag, never a name or an address."""

from services.keys import keyed_hash


def author_tag(author_id: int | None) -> str | None:
    """A short tag that tells one member's posts apart from another's; None for a withdrawn member.

    It is a keyed hash of the member id, so it reveals neither the id nor the
    person, and a withdrawn member's kept posts (author NULL) link to nothing.
    """
    if author_id is None:
        return None
    return keyed_hash(str(author_id), "board-author", length=6).upper()
