"""igs-advisor: rule-based advice on intermunicipal cooperation in Flanders (DLB title 3, VCRO)."""

__version__ = "0.1.0"

from advisor.advise import advise  # noqa: E402
from advisor.models import Advice, CooperationIntent  # noqa: E402

__all__ = ["Advice", "CooperationIntent", "advise", "__version__"]
