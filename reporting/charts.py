"""Line charts drawn as SVG on the server, readable without colour: each series has its own
line dash and marker shape, its name in a legend, and every point a tooltip; the page puts
the same figures in a table beside it. Pure Python, every text escaped."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 40, 16, 16, 36
STYLES = (
    ("#0b4fbf", "", "circle"),
    ("#b35c00", "6 4", "square"),
    ("#198754", "2 3", "diamond"),
)


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]  # percentages, None where there is nothing to show


def line_chart(labels: Sequence[str], series: Sequence[Series], *, title: str) -> str:
    """Percent (0–100) against ``labels`` (weeks), one line per series."""
    n = len(labels)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(i: int) -> float:
        return LEFT + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v: float) -> float:
        return TOP + plot_h * (1 - v / 100)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{escape(title)}" class="trend-chart">',
    ]
    for v in (0, 25, 50, 75, 100):
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
            'stroke="#dee2e6" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{y(v) + 4:.1f}" font-size="10" text-anchor="end" '
            f'fill="#495057">{v}%</text>'
        )
    step = max(1, n // 8)
    for i, label in enumerate(labels):
        if i % step == 0 or i == n - 1:
            parts.append(
                f'<text x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 16}" font-size="10" '
                f'text-anchor="middle" fill="#495057">{escape(label)}</text>'
            )
    legend_x = LEFT
    for k, line in enumerate(series):
        colour, dash, marker = STYLES[k % len(STYLES)]
        points = [(i, v) for i, v in enumerate(line.values) if v is not None]
        if len(points) > 1:
            path = " ".join(
                f"{'M' if j == 0 else 'L'} {x(i):.1f} {y(v):.1f}" for j, (i, v) in enumerate(points)
            )
            dashed = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2"{dashed}/>'
            )
        for i, v in points:
            tip = f"<title>{escape(line.name)} · {escape(labels[i])}: {v:.0f}%</title>"
            parts.append(_marker(marker, x(i), y(v), colour, tip))
        lx = legend_x
        legend_x += 50 + 6 * len(line.name)
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{lx}" x2="{lx + 24}" y1="{HEIGHT - 8}" y2="{HEIGHT - 8}" '
            f'stroke="{colour}" stroke-width="2"{dashed}/>'
            + _marker(marker, lx + 12, HEIGHT - 8, colour, "")
            + f'<text x="{lx + 30}" y="{HEIGHT - 4}" font-size="11" fill="#212529">'
            f"{escape(line.name)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _marker(shape: str, cx: float, cy: float, colour: str, tip: str) -> str:
    if shape == "square":
        return (
            f'<rect x="{cx - 4:.1f}" y="{cy - 4:.1f}" width="8" height="8" fill="{colour}">'
            f"{tip}</rect>"
        )
    if shape == "diamond":
        return (
            f'<path d="M {cx:.1f} {cy - 5:.1f} L {cx + 5:.1f} {cy:.1f} L {cx:.1f} {cy + 5:.1f} '
            f'L {cx - 5:.1f} {cy:.1f} z" fill="{colour}">{tip}</path>'
        )
    return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="4" fill="{colour}">{tip}</circle>'
