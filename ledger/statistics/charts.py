"""Charts drawn on the server as inline SVG: no JavaScript library, nothing fetched, printable.

Each chart is an image with a name (`role="img"`, `aria-label`, `<title>`) and a `<desc>` that
reads out every value, and every bar carries its number as text, so nobody has to guess a
height. The pages show the same figures in tables next to the charts.
"""

import itertools
import math
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# Red first (the site's colour), then colours that stay apart for common colour blindness.
PALETTE = (
    "#b71c1c", "#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#5d4037", "#546e7a",
    "#ad1457",
)  # fmt: skip
FONT = 'font-family="system-ui, sans-serif"'
_ids = itertools.count(1)


def _open(title: str, desc: str, width: int, height: int) -> tuple[list[str], str]:
    n = next(_ids)
    title_id, desc_id = f"chart{n}-title", f"chart{n}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'aria-label="{escape(title)}" aria-describedby="{desc_id}" {FONT}>',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(desc)}</desc>',
    ]
    return parts, "</svg>"


def _nice_max(value: int) -> int:
    """A round top for the axis: 1, 2, 5 × a power of ten."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def _empty(title: str, width: int) -> SafeString:
    parts, close = _open(title, _("No data for this period."), width, 40)
    parts.append(f'<text x="8" y="24" font-size="14" fill="#6c757d">{escape(_("No data"))}</text>')
    # Reviewed: every text is escaped above and every number is formatted by us.
    return mark_safe("".join([*parts, close]))  # noqa: S308  # nosec B308 B703


def grouped_bars(
    *,
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
    width: int = 720,
    height: int = 260,
) -> SafeString:
    """Bars side by side per category (e.g. received and completed per month)."""
    values = [v for _name, vs in series for v in vs]
    if not categories or not any(values):
        return _empty(title, width)
    left, right, top, bottom = 40, 8, 30, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = _nice_max(max(values))
    desc = "; ".join(
        f"{category}: " + ", ".join(f"{name} {vs[i]}" for name, vs in series)
        for i, category in enumerate(categories)
    )
    parts, close = _open(title, desc, width, height)
    # Legend on top, gridlines with their values on the left.
    x = left
    for k, (name, _vs) in enumerate(series):
        parts.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{PALETTE[k]}"/>')
        parts.append(f'<text x="{x + 16}" y="16" font-size="12">{escape(name)}</text>')
        x += 24 + 13 * len(name) + 20
    for fraction in (0, 0.5, 1):
        y = top + plot_h - fraction * plot_h
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#dee2e6"/>'
        )
        parts.append(
            f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="10" text-anchor="end" '
            f'fill="#6c757d">{round(top_value * fraction)}</text>'
        )
    group_w = plot_w / len(categories)
    bar_w = group_w * 0.8 / len(series)
    for i, category in enumerate(categories):
        gx = left + i * group_w + group_w * 0.1
        for k, (name, vs) in enumerate(series):
            value = vs[i]
            h = plot_h * value / top_value
            bx, by = gx + k * bar_w, top + plot_h - h
            parts.append(
                f'<rect x="{bx:.1f}" y="{by:.1f}" width="{bar_w - 1:.1f}" height="{h:.1f}" '
                f'fill="{PALETTE[k]}"><title>{escape(category)} {escape(name)}: {value}</title>'
                f"</rect>"
            )
            if value:
                parts.append(
                    f'<text x="{bx + bar_w / 2:.1f}" y="{by - 2:.1f}" font-size="9" '
                    f'text-anchor="middle">{value}</text>'
                )
        parts.append(
            f'<text x="{left + (i + 0.5) * group_w:.1f}" y="{height - bottom + 14}" '
            f'font-size="10" text-anchor="middle">{escape(category)}</text>'
        )
    # Reviewed: every text is escaped above and every number is formatted by us.
    return mark_safe("".join([*parts, close]))  # noqa: S308  # nosec B308 B703


def stacked_bar(*, title: str, shares: Sequence[tuple[str, int]], width: int = 420) -> SafeString:
    """One bar split into shares (e.g. the routing mix, satisfaction), with a legend of values."""
    total = sum(value for _label, value in shares)
    if not total:
        return _empty(title, width)
    per_row = 2
    rows = math.ceil(len(shares) / per_row)
    height = 48 + rows * 22
    desc = "; ".join(f"{label}: {value} ({value * 100 / total:.1f}%)" for label, value in shares)
    parts, close = _open(title, desc, width, height)
    x = 0.0
    for k, (label, value) in enumerate(shares):
        w = width * value / total
        if w:
            parts.append(
                f'<rect x="{x:.1f}" y="4" width="{w:.1f}" height="32" '
                f'fill="{PALETTE[k % len(PALETTE)]}"><title>{escape(label)}: {value}</title></rect>'
            )
            if w > 44:
                parts.append(
                    f'<text x="{x + w / 2:.1f}" y="25" font-size="12" fill="#fff" '
                    f'text-anchor="middle">{value * 100 / total:.0f}%</text>'
                )
        x += w
    column = width / per_row
    for k, (label, value) in enumerate(shares):
        lx, ly = (k % per_row) * column, 48 + (k // per_row) * 22
        parts.append(
            f'<rect x="{lx:.1f}" y="{ly}" width="12" height="12" '
            f'fill="{PALETTE[k % len(PALETTE)]}"/>'
        )
        parts.append(
            f'<text x="{lx + 16:.1f}" y="{ly + 10}" font-size="12">{escape(label)} {value} '
            f"({value * 100 / total:.1f}%)</text>"
        )
    # Reviewed: every text is escaped above and every number is formatted by us.
    return mark_safe("".join([*parts, close]))  # noqa: S308  # nosec B308 B703
