"""Template tags for the dashboards: bars, and matrix and summary cells written in one go
(looping over a thousand cells in template language costs more than every query of a page)."""

import functools

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def bar_width(part, whole) -> str:
    """A CSS percentage for a bar: part of whole, clamped to 0..100."""
    try:
        value = 100 * float(part) / float(whole) if whole else 0
    except (TypeError, ValueError):
        value = 0
    return f"{max(0.0, min(100.0, value)):.1f}%"


@functools.lru_cache(maxsize=4096)
def _cell(badge: str, title: str, label: str) -> str:
    title_attr = format_html(' title="{}"', title) if title else ""
    return format_html('<td><span class="badge {}"{}>{}</span></td>', badge, title_attr, label)


@register.simple_tag
def matrix_cells(row) -> str:
    """A matrix row's cells. Cells repeat (same status, same expiry day), so each distinct one
    is escaped once."""
    return mark_safe("".join(_cell(c.badge, c.title, c.label) for c in row.cells))


@register.simple_tag
def percent_cells(cells) -> str:
    """``<td>`` cells of percentages for the team summary."""
    return format_html_join("", '<td class="small">{}%</td>', ((percent,) for _, percent in cells))
