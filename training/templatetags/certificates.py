"""Template tags for certificates: the QR code of the verification address, drawn as inline SVG
on the server so printing needs no outside service."""

import segno
from django import template
from django.utils.safestring import mark_safe

from training import analytics

register = template.Library()


@register.simple_tag
def verification_qr(url: str, scale: int = 4) -> str:
    # segno writes only path data and sizes into the SVG, never the URL's text, so the markup
    # is safe to mark as such.
    return mark_safe(segno.make(url, error="m").svg_inline(scale=scale, border=2))


@register.simple_tag
def bar_width(part, whole) -> str:
    """A CSS percentage for a bar: part of whole, clamped to 0..100."""
    try:
        value = 100 * float(part) / float(whole) if whole else 0
    except (TypeError, ValueError):
        value = 0
    return f"{max(0.0, min(100.0, value)):.1f}%"


@register.filter
def status_label(status: str) -> str:
    """The translated name of a certificate or progress status."""
    return analytics.status_label(status)


@register.filter
def status_badge(status: str) -> str:
    """The Bootstrap classes of a status's badge."""
    return analytics.BADGES.get(str(status), "text-bg-light")
