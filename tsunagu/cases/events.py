"""What the cases app tells the apps above it (which it must not import)."""

from django.dispatch import Signal

# Sent inside the closing transaction with ``case`` and ``actor``: plans, action items and
# other open items of higher apps close with the case.
case_closed = Signal()
