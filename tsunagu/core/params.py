"""Numbers read from a query or a form field by hand (where no form class reads them)."""

# The largest id a database integer column holds (SQLite and PostgreSQL bigint).
MAX_ID = 2**63 - 1


def whole_number(text: str | None, *, low: int = 1, high: int = MAX_ID) -> int | None:
    """``text`` as an int within low..high, or None: ASCII digits only («²» and «١» are
    digits to str.isdigit, not to int), and nothing a database integer cannot hold."""
    text = (text or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(high)):
        return None
    value = int(text)
    return value if low <= value <= high else None
