"""Refusals as the pages show them."""

from django.core.exceptions import ValidationError


def message_of(error: ValidationError) -> str:
    """A validation error's messages as one line (a page's message bar)."""
    return " ".join(error.messages)
