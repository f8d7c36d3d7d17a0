"""How many examples a property test draws: a small budget in `make test`, a long one in `make fuzz`
(``DVCQ_PROPERTY_EXAMPLES``, 1,000 there). The property is the same in both; only its example count changes
(docs/testing.md, "Eighth pass")."""
from __future__ import annotations

import os


def examples(quick: int) -> int:
    """``quick`` examples, or ``DVCQ_PROPERTY_EXAMPLES`` when set (`make fuzz`)."""
    wanted = os.environ.get("DVCQ_PROPERTY_EXAMPLES")
    return int(wanted) if wanted else quick
