"""Filling in a served paper the way the answer sheet posts it, right or wrong, for tests."""


def posted(paper: dict, *, right: bool = True) -> dict[str, object]:
    """The form data of a fully answered sheet: every answer right, or every one wrong."""
    data: dict[str, object] = {"shown": [str(q["position"]) for q in paper["questions"]]}
    for q in paper["questions"]:
        prefix = f"q{q['position']}"
        kind = q["kind"]
        if kind == "single":
            index = next(i for i, o in enumerate(q["options"]) if o["correct"] == right)
            data[f"{prefix}-answer"] = str(index)
        elif kind == "multiple":
            data[f"{prefix}-answer"] = [
                str(i) for i, o in enumerate(q["options"]) if o["correct"] == right
            ]
        elif kind == "true_false":
            data[f"{prefix}-answer"] = "true" if q["answer"] == right else "false"
        elif kind == "ordering":
            order = q["correct_order"] if right else list(reversed(q["correct_order"]))
            for place, step in enumerate(order):
                data[f"{prefix}-{step}"] = str(place)
        elif kind == "matching":
            for left, match in enumerate(q["pairs"]):
                data[f"{prefix}-{left}"] = str(match if right else (match + 1) % len(q["right"]))
        elif kind == "numeric":
            data[f"{prefix}-answer"] = q["value"] if right else "999"
    return data
