"""How the guessing bots are named on trainers' pages."""

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

_LABELS = {
    "first": _("always the first line shown"),
    "longest": _("always the longest"),
    "shortest": _("always the shortest"),
    "random": _("at random"),
    "polite": _("always the most polite"),
    "test_wise": _("never an absolute word, then the longest"),
    "echo": _("the one that sounds most like the manual"),
    "authored_first": _("the first line as written, were lines not shuffled"),
}


@register.filter
def guesser(name: str) -> str:
    return _LABELS.get(name, name)
