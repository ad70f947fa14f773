"""Geometry for server-rendered bar charts (the numbers are always in a table beside them): one SVG
for the admin and printed briefings, or HTML rows for public pages, which reflow on a 320px phone."""

LABEL_WIDTH = 230
BAR_AREA = 300
ROW_HEIGHT = 34
BAR_HEIGHT = 22


def horizontal_bars(rows):
    """rows: [{"label", "value" (number or None when hidden), "display"}] -> drawing instructions."""
    values = [r["value"] for r in rows if isinstance(r["value"], int | float)]
    top = max(values) if values else 0
    bars = []
    for index, row in enumerate(rows):
        value = row["value"] if isinstance(row["value"], int | float) else 0
        width = round(BAR_AREA * value / top, 1) if top else 0
        # A string, so the template never localises the decimal point: it goes into an SVG attribute.
        percent = f"{100 * value / top:.1f}" if top else "0"
        y = index * ROW_HEIGHT
        bars.append(
            {
                "label": row["label"],
                "display": row["display"],
                "y": y,
                "text_y": y + BAR_HEIGHT / 2 + 5,
                "width": width,
                "percent": percent,
                "value_x": LABEL_WIDTH + width + 8,
            }
        )
    return {
        "bars": bars,
        "height": max(ROW_HEIGHT * len(rows), ROW_HEIGHT),
        "width": LABEL_WIDTH + BAR_AREA + 110,
        "label_width": LABEL_WIDTH,
        "bar_x": LABEL_WIDTH,
        "bar_height": BAR_HEIGHT,
    }
