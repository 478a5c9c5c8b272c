"""Why a pair was proposed, in Japanese, each reason with its weight in bits."""

import numpy as np

from .compare import COMPARISONS, MISSING

_NAME_TEXTS = {
    "exact": "{part}が一致",
    "variant": "{part}の異体字 {chars}",
    "reading": "{part}の読みが一致",
    "other_name": "旧姓・通称で一致",
    "confused": "{part}の字が似ている {chars}",
    "homophone": "{part}の読みが一致(別の漢字)",
    "reading_inferred": "{part}の読みが一致(辞書による推定)",
    "slip": "{part}の読みが見誤りやすい1字だけ違う",
    "near": "{part}の読みが近い",
    "disagree": "{part}が異なる",
}
TEXTS = {
    "family": _NAME_TEXTS,
    "given": _NAME_TEXTS,
    "birth_date": {
        "exact": "生年月日が一致",
        "swapped": "生年月日の日と月が入れ替わり",
        "one_digit": "生年月日が1か所違い(入力の誤りか)",
        "year_month": "生年月が一致",
        "disagree": "生年月日が異なる",
    },
    "sex": {"agree": "性別が一致", "disagree": "性別が異なる"},
    "phone": {"exact": "電話番号が一致", "disagree": "電話番号が異なる"},
    "address": {"exact": "住所が一致", "postal_code": "郵便番号が一致", "disagree": "住所が異なる"},
    "household": {
        "shared_member": "同じ世帯員がいる",
        "disagree": "世帯員に共通の人がいない",
    },
}
PARTS = {"family": "姓", "given": "名"}
# Why a likely pair still waits for a person (decisions.look_alike_kinds).
CAUTIONS = {
    "twins": "名の読みが1字違い: ふたごの可能性があります",
    "parent_child": "生年月日が大きく違います: 同じ名前の親子・きょうだいの可能性があります",
    "namesakes": "電話も住所も違います: 同姓同名の別人の可能性があります",
    "siblings": "名の読みは同じでも漢字が違います: きょうだいの可能性があります",
    "name_only": "氏名のほかに一致する情報がありません: 同姓同名の可能性があります",
    "surname_changed": "姓が違い連絡先も一致しません: 同じ名前の別人の可能性があります",
    "conflict": "同じ人とみた記録どうしで名が違います: ふたご・きょうだいの可能性があります",
}


def caution(code: str) -> list[dict]:
    """The caution of a look-alike kind as a reason (weight 0, listed first); none for ''."""
    return [{"code": f"caution.{code}", "text": CAUTIONS[code], "weight": 0.0}] if code else []


def _differing_characters(a: str, b: str) -> str:
    pairs = [f"{x}/{y}" for x, y in zip(a, b, strict=False) if x != y]
    return "、".join(dict.fromkeys(pairs)) if pairs and len(a) == len(b) else f"{a}/{b}"


def reasons_for(frame, left: int, right: int, levels, weights) -> list[dict]:
    """The reasons of one pair, strongest first."""
    found = []
    for k, comparison in enumerate(COMPARISONS):
        if levels[k] == MISSING:
            continue
        level = comparison.levels[levels[k]]
        text = TEXTS[comparison.name][level]
        if comparison.name in PARTS:
            column = frame[f"{comparison.name}_exact"].to_numpy()
            chars = _differing_characters(column[left], column[right])
            text = text.format(part=PARTS[comparison.name], chars=chars)
        found.append(
            {"code": f"{comparison.name}.{level}", "text": text, "weight": round(weights[k], 1)}
        )
    return sorted(found, key=lambda reason: -abs(reason["weight"]))


def as_text(reasons: list[dict]) -> str:
    return "; ".join(f"{r['text']}({r['weight']:+.1f})" for r in reasons)


def texts(frame, left: np.ndarray, right: np.ndarray, levels: np.ndarray, weights: np.ndarray):
    """``as_text(reasons_for(...))`` of many pairs at once, without a dict per reason."""
    count, comparisons = levels.shape
    cells = np.full((count, comparisons), "", dtype=object)
    rounded = np.round(weights, 1)
    for k, comparison in enumerate(COMPARISONS):
        for index, code in enumerate(comparison.levels):
            rows = np.flatnonzero(levels[:, k] == index)
            if len(rows):
                cells[rows, k] = _level_texts(frame, comparison.name, code, left[rows], right[rows])
        shown = np.flatnonzero(levels[:, k] != MISSING)
        numbers, inverse = np.unique(rounded[shown, k], return_inverse=True)
        suffixes = np.array([f"({number:+.1f})" for number in numbers], dtype=object)
        cells[shown, k] = cells[shown, k] + suffixes[inverse]
    # Strongest first, as reasons_for orders them; a missing comparison sorts last and is empty.
    strength = np.where(levels == MISSING, -1.0, np.abs(rounded))
    order = np.argsort(-strength, axis=1, kind="stable")
    ordered = np.take_along_axis(cells, order, axis=1)
    return ["; ".join(cell for cell in row if cell) for row in ordered.tolist()]


def _level_texts(frame, name: str, code: str, left: np.ndarray, right: np.ndarray):
    template = TEXTS[name][code]
    if name not in PARTS:
        return template
    if "{chars}" not in template:
        return template.format(part=PARTS[name])
    written = frame[f"{name}_exact"].to_numpy()
    return [
        template.format(part=PARTS[name], chars=_differing_characters(written[a], written[b]))
        for a, b in zip(left, right, strict=True)
    ]
