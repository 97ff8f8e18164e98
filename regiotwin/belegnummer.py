"""How a Belegnummer is written: the partner's prefix and the expense's number, `TF-007`.

Only the standard library: the shell completion offers Belegnummern without loading the models.
"""

from __future__ import annotations


def receipt_prefix(prefix: str | None, partner_id: str) -> str:
    """The partner's `receipt_prefix`; a partner without one is named by its id, so that a
    Belegnummer always names one partner."""
    return prefix or partner_id


def receipt_number(prefix: str, number: int | None) -> str:
    """How a Belegnummer is shown: `TF-007`; '' when the expense has none yet."""
    return f"{prefix}-{number:03d}" if number is not None else ""
