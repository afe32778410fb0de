"""Where the rule base and templates are: packaged data in a wheel, the repository otherwise."""
from pathlib import Path

_PACKAGED = Path(__file__).resolve().parent / "_data"
_REPO = Path(__file__).resolve().parent.parent


def _pick(packaged: str, repo: str) -> Path:
    return _PACKAGED / packaged if (_PACKAGED / packaged).is_dir() else _REPO / repo


ROOT = _REPO
RULES_DIR = _pick("rules", "rules")
TEMPLATES_DIR = _pick("templates", "templates")
SCENARIOS_DIR = _pick("scenarios", "tests/scenarios")
EXAMPLES_DIR = _pick("examples", "examples")
CASES_DIR = _pick("cases", "cases")
