"""Template tags for certificates: the QR code of the verification address, drawn as inline SVG
on the server so printing needs no outside service, and the badge of a certificate's status."""

import segno
from django import template
from django.utils.safestring import mark_safe

from certification.models import CertificationStatus

register = template.Library()

BADGES = {
    CertificationStatus.VALID: "text-bg-success",
    CertificationStatus.EXPIRING_SOON: "text-bg-warning",
    CertificationStatus.EXPIRED: "text-bg-secondary",
    CertificationStatus.REVOKED: "text-bg-danger",
    CertificationStatus.SUPERSEDED: "text-bg-info",
}


@register.simple_tag
def verification_qr(url: str, scale: int = 4) -> str:
    # segno writes only path data and sizes into the SVG, never the URL's text, so the markup
    # is safe to mark as such.
    return mark_safe(segno.make(url, error="m").svg_inline(scale=scale, border=2))


@register.filter
def status_badge(status: str) -> str:
    """The Bootstrap classes of a certificate status's badge."""
    return BADGES.get(str(status), "text-bg-light")


@register.filter
def status_label(status: str) -> str:
    """The translated name of a certificate status."""
    return CertificationStatus(str(status)).label
