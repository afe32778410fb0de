"""Where the rule base and templates are: packaged data in a wheel, the repository otherwise."""
from pathlib import Path

_PACKAGED = Path(__file__).resolve().parent / "_data"
_REPO = Path(__file__).resolve().parent.parent

RULES_DIR = _PACKAGED / "rules" if (_PACKAGED / "rules").is_dir() else _REPO / "rules"
TEMPLATES_DIR = _PACKAGED / "templates" if (_PACKAGED / "templates").is_dir() else _REPO / "templates"
