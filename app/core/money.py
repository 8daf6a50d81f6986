"""Money in integer fen (1 CNY = 100 fen). No float ever holds an amount."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from app.core.errors import InputError

FEN_PER_YUAN = 100


def parse_amount(value: object, where: str) -> int:
    """Turn a YAML number or numeric string (CNY) into fen.

    `where` names the file and key for the error message. More than two
    decimals, a negative amount, a bool or anything non-numeric is refused.
    """
    if isinstance(value, bool) or value is None:
        raise InputError(f"{where}: expected an amount in CNY, got {value!r}")
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, Decimal):
        amount = value
    elif isinstance(value, float):
        # Only reached when a caller bypasses our YAML loader; repr() is the
        # shortest text that round-trips, i.e. what was typed.
        amount = Decimal(repr(value))
    elif isinstance(value, str):
        text = value.strip().replace(",", "")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise InputError(
                f"{where}: {value!r} is not an amount (write e.g. 150.00)"
            ) from None
    else:
        raise InputError(f"{where}: expected an amount in CNY, got {value!r}")
    if not amount.is_finite():
        raise InputError(f"{where}: {value!r} is not an amount")
    if amount < 0:
        raise InputError(f"{where}: amount {value} is negative")
    exponent = amount.as_tuple().exponent
    if (
        isinstance(exponent, int)
        and exponent < -2
        and amount != amount.quantize(Decimal("0.01"))
    ):
        raise InputError(f"{where}: amount {value} has more than two decimals")
    fen = amount * FEN_PER_YUAN
    if fen > 10**15:
        raise InputError(f"{where}: amount {value} is too large")
    return int(fen)


def fmt(fen: int) -> str:
    """`15000` -> `"150.00"`; negative amounts keep their sign."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), FEN_PER_YUAN)
    return f"{sign}{yuan}.{cents:02d}"


def fmt_grouped(fen: int) -> str:
    """`3000000` -> `"30,000.00"`, for screens."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), FEN_PER_YUAN)
    return f"{sign}{yuan:,}.{cents:02d}"


def split(amount: int, cash: int, red_packet: int) -> tuple[int, int]:
    """Split `amount` fen between cash and red packet by their balances.

    Each exact share is floored to the fen; the fen left over goes to the
    larger fractional part, a tie to cash. The parts always sum to `amount`
    and a red packet never pays more than its balance.
    """
    total = cash + red_packet
    if amount <= 0:
        return 0, 0
    if total <= 0 or red_packet <= 0:
        return amount, 0
    if cash <= 0:
        rp_part = min(amount, red_packet)
        return amount - rp_part, rp_part
    cash_part, cash_rem = divmod(amount * cash, total)
    rp_part, rp_rem = divmod(amount * red_packet, total)
    if cash_part + rp_part < amount:
        if rp_rem > cash_rem:
            rp_part += 1
        else:
            cash_part += 1
    if rp_part > red_packet:
        cash_part += rp_part - red_packet
        rp_part = red_packet
    return cash_part, rp_part
