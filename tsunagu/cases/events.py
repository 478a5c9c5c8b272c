"""What the cases app tells the apps above it (which it must not import)."""

from django.dispatch import Signal

# Sent inside the closing transaction with ``case`` and ``actor``: plans, action items and
# other open items of higher apps close with the case.
case_closed = Signal()

# Sent after the intake form saved an intake, with ``intake``, ``actor`` and ``origin``: the
# hidden "origin" a page of a higher app opened the form with (e.g. "watch.referral:12", a
# partner's referral), so that app links what it started to the intake.
intake_received = Signal()
