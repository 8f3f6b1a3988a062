"""Template tags for certificates: the QR code of the verification address, drawn as inline SVG
on the server so printing needs no outside service."""

import functools

import segno
from django import template
from django.utils.html import format_html, format_html_join
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


@functools.lru_cache(maxsize=4096)
def _cell(badge: str, title: str, label: str) -> str:
    title_attr = format_html(' title="{}"', title) if title else ""
    return format_html('<td><span class="badge {}"{}>{}</span></td>', badge, title_attr, label)


@register.simple_tag
def matrix_cells(row) -> str:
    """A matrix row's cells in one go: looping over 1,200 cells in template language costs more
    than every query of the dashboard together. Cells repeat (same status, same expiry day), so
    each distinct one is escaped once."""
    return mark_safe("".join(_cell(c.badge, c.title, c.label) for c in row.cells))


@register.simple_tag
def percent_cells(cells) -> str:
    """``<td>`` cells of percentages for the team summary, for the same reason."""
    return format_html_join("", '<td class="small">{}%</td>', ((percent,) for _, percent in cells))
