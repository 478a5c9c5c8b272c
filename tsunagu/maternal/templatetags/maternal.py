from django import template

from tsunagu.maternal import flags

register = template.Library()


@register.filter
def flag_labels(pregnancy) -> list[str]:
    """The labels of a pregnancy's flags (気がかりな点)."""
    return flags.labels(pregnancy)
