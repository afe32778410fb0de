"""Hostile inputs shared by the tests of several entrances."""

BASE = "purpose: {kind: project}\npartners: [{name: Affligem, kind: gemeente}]\n"


def bomb(levels: int = 6) -> str:
    """A 'billion laughs' inside the name: each level nine aliases of the one before (about 300
    bytes that expand to 9**levels strings)."""
    parts = ['&a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    parts += [f"&a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return f"name: [{', '.join(parts)}]\n" + BASE
