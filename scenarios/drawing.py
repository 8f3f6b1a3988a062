"""A call drawn as an SVG picture for its author: steps as boxes in columns by how many turns
they are from the start, the lines between them coloured by what saying them does (keeps the
rules, breaks one, or some of each), dead ends and unreachable steps marked. Pure Python: the
markup is built here with every text escaped, and served with the page (no script, no CDN).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from html import escape

from scenarios.graph import Scenario

BOX_W, BOX_H = 170, 46
COLUMN, ROW = 240, 74
MARGIN = 20

COLOURS = {
    "keeps": "#198754",  # every line on this arrow keeps the rules
    "breaks": "#dc3545",  # every line on it commits a violation
    "mixed": "#b35c00",  # some of each
    "neutral": "#6c757d",
}


# The words the picture shows; the page passes them translated.
WORDS = {
    "title": "Call graph",
    "dead end": "dead end",
    "unreachable": "unreachable",
    "end": "end",
    "line": "{n} line",
    "lines": "{n} lines",
}


@dataclass(frozen=True)
class Drawing:
    svg: str
    dead_ends: tuple[str, ...]
    unreachable: tuple[str, ...]


def _depths(scenario: Scenario) -> dict[str, int]:
    """Each reachable step's distance in turns from the start (every branch followed)."""
    depths = {scenario.start.id: 0}
    queue = deque([scenario.start.id])
    while queue:
        step = scenario.step(queue.popleft())
        for choice in step.choices:
            for branch in choice.branches:
                if scenario.step(branch.step) is not None and branch.step not in depths:
                    depths[branch.step] = depths[step.id] + 1
                    queue.append(branch.step)
    return depths


def draw(scenario: Scenario, violations: set[str], words: dict[str, str] = WORDS) -> Drawing:
    depths = _depths(scenario)
    unreachable = tuple(s.id for s in scenario.steps if s.id not in depths)
    dead_ends = tuple(
        s.id
        for s in scenario.steps
        if not s.is_end
        and (
            not s.choices
            or any(scenario.step(b.step) is None for c in s.choices for b in c.branches)
        )
    )
    last = max(depths.values(), default=0)
    for step_id in unreachable:
        depths[step_id] = last + 1  # a column of their own, at the right
    columns: dict[int, list[str]] = {}
    for step in scenario.steps:
        columns.setdefault(depths[step.id], []).append(step.id)
    place = {
        step_id: (MARGIN + depth * COLUMN, MARGIN + row * ROW)
        for depth, ids in columns.items()
        for row, step_id in enumerate(ids)
    }
    width = MARGIN * 2 + (max(columns) + 1) * COLUMN - (COLUMN - BOX_W)
    height = MARGIN * 2 + max(len(ids) for ids in columns.values()) * ROW - (ROW - BOX_H)

    arrows: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for step in scenario.steps:
        for choice in step.choices:
            codes = set(choice.behaviors)
            effect = (
                "neutral"
                if not codes
                else "breaks"
                if codes <= violations
                else "mixed"
                if codes & violations
                else "keeps"
            )
            for branch in choice.branches:
                if branch.step in place:
                    arrows.setdefault((step.id, branch.step), []).append((choice.id, effect))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="call-graph-title" '
        'class="call-graph">',
        f'<title id="call-graph-title">{escape(words["title"])}</title>',
        "<defs>",
        *(
            f'<marker id="arrow-{name}" viewBox="0 0 10 10" refX="10" refY="5" '
            f'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
            f'<path d="M 0 0 L 10 5 L 0 10 z" fill="{colour}"/></marker>'
            for name, colour in COLOURS.items()
        ),
        "</defs>",
    ]
    for (source, target), lines in arrows.items():
        effects = {effect for _, effect in lines}
        effect = effects.pop() if len(effects) == 1 else "mixed"
        x1, y1 = place[source]
        x2, y2 = place[target]
        start = (x1 + BOX_W, y1 + BOX_H / 2)
        end = (x2, y2 + BOX_H / 2)
        if x2 <= x1:  # back to an earlier column (or the same): loop round below
            end = (x2 + BOX_W / 2, y2 + BOX_H)
            start = (x1 + BOX_W / 2, y1 + BOX_H)
            bend = max(y1, y2) + BOX_H + 24
            path = (
                f"M {start[0]} {start[1]} C {start[0]} {bend}, {end[0]} {bend}, {end[0]} {end[1]}"
            )
            label = ((start[0] + end[0]) / 2, bend - 4)
        else:
            middle = (start[0] + end[0]) / 2
            path = (
                f"M {start[0]} {start[1]} C {middle} {start[1]}, {middle} {end[1]}, "
                f"{end[0]} {end[1]}"
            )
            label = (middle, (start[1] + end[1]) / 2 - 4)
        names = ", ".join(choice for choice, _ in lines)
        parts.append(
            f'<g class="arrow arrow-{effect}"><title>{escape(names)}</title>'
            f'<path d="{path}" fill="none" stroke="{COLOURS[effect]}" stroke-width="1.6" '
            f'marker-end="url(#arrow-{effect})"/>'
            f'<text x="{label[0]:.0f}" y="{label[1]:.0f}" font-size="11" text-anchor="middle" '
            f'fill="{COLOURS[effect]}">{len(lines)}</text></g>'
        )
    for step in scenario.steps:
        x, y = place[step.id]
        if step.id in dead_ends:
            fill, stroke, dash, note = "#f8d7da", "#dc3545", "", words["dead end"]
        elif step.id in unreachable:
            fill, stroke, dash = "#f1f3f5", "#6c757d", ' stroke-dasharray="5 4"'
            note = words["unreachable"]
        elif step.is_end:
            fill, stroke, dash, note = "#d1e7dd", "#198754", "", words["end"]
        else:
            fill, stroke, dash, note = "#ffffff", "#0b4fbf", "", ""
        width_line = 3 if step.id == scenario.start.id else 1.5
        parts.append(
            f'<g class="step" data-step="{escape(step.id)}"><title>{escape(step.id)}'
            f"{' · ' + note if note else ''}</title>"
            f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="6" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="{width_line}"{dash}/>'
            f'<text x="{x + BOX_W / 2:.0f}" y="{y + 20}" font-size="12" text-anchor="middle" '
            f'fill="#212529">{escape(_short(step.id))}</text>'
            f'<text x="{x + BOX_W / 2:.0f}" y="{y + 36}" font-size="10" text-anchor="middle" '
            f'fill="#495057">{escape(note or _count(words, len(step.choices)))}</text></g>'
        )
    parts.append("</svg>")
    return Drawing(svg="".join(parts), dead_ends=dead_ends, unreachable=unreachable)


def _short(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _count(words: dict[str, str], count: int) -> str:
    return words["line" if count == 1 else "lines"].format(n=count)
