"""Text cells that a spreadsheet will not run as formulas (CSV / formula injection).

A name such as ``=HYPERLINK("http://x","y")`` typed into a form or read from an imported file
must reach Excel or LibreOffice as the text it is, not as a live formula. Following the OWASP
rule, a *string* that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
dangerous; anything else (and every number, date or None) passes unchanged, so a negative
number stays a number.

- **CSV** (:func:`as_text_cell`): the dangerous string is written with a single quote before it
  (``'=HYPERLINK(…)``), which a spreadsheet shows as text. Our own reader takes that quote off
  again (:func:`from_text_cell`), so an exported file imports back unchanged.
- **XLSX** (:func:`protect`): the cell keeps exactly the original text, stored as a string cell
  (never a formula) and marked "quote prefix" — what Excel itself does when one types
  ``'=…``: the sheet shows ``=HYPERLINK(…)`` as text and editing the cell keeps it text.

Both therefore mean the same thing: the text, with the spreadsheet's own "this is text" quote.
"""

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def is_dangerous(value) -> bool:
    """A string a spreadsheet could read as the start of a formula."""
    return isinstance(value, str) and value.startswith(DANGEROUS)


def as_text_cell(value):
    """The value for a CSV cell: a dangerous string behind a single quote, anything else as is."""
    return QUOTE + value if is_dangerous(value) else value


def from_text_cell(text: str) -> str:
    """A CSV cell as read back: the quote that :func:`as_text_cell` added is taken off (only
    where it stands before one of the dangerous characters, so 「'80年代」 stays as it is)."""
    if text.startswith(QUOTE) and text[1:].startswith(DANGEROUS):
        return text[1:]
    return text


def protect(cell) -> None:
    """Make an openpyxl cell holding a dangerous string a plain text cell, not a formula."""
    if is_dangerous(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
