"""Regenerate fixtures/expected/ from fixtures/seeds/.  Review the diff before you commit it:

    .venv/bin/python tests/update_golden.py && git diff fixtures/expected
"""

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from test_golden import GOLDEN_ARGS  # noqa: E402
from zhclean.cli import main  # noqa: E402

with tempfile.TemporaryDirectory() as tmp:
    code = main(["clean", str(ROOT / "fixtures" / "seeds"), "-o", tmp, "-q", *GOLDEN_ARGS])
    assert code == 0, code
    for p in sorted(Path(tmp).iterdir()):
        dest = ROOT / "fixtures" / "expected" / p.name
        dest.write_bytes(p.read_bytes())
        print("wrote", dest.relative_to(ROOT))
