"""igs-advisor: rule-based advice on intermunicipal cooperation in Flanders (DLB title 3, VCRO)."""

__version__ = "0.1.0"

from advisor.advise import advise  # noqa: E402
from advisor.models import Advice, CooperationIntent  # noqa: E402


def draft(*args, **kwargs):  # noqa: ANN002, ANN003 - see advisor.drafts.draft
    """Render a draft (see advisor.drafts.draft); imported lazily: it needs markdown and Word."""
    from advisor.drafts import draft as _draft
    return _draft(*args, **kwargs)


__all__ = ["Advice", "CooperationIntent", "advise", "draft", "__version__"]
