"""Why a pair was proposed, in Japanese, each reason with its weight in bits."""

from .compare import COMPARISONS, MISSING

_NAME_TEXTS = {
    "exact": "{part}が一致",
    "variant": "{part}の異体字 {chars}",
    "reading": "{part}の読みが一致",
    "other_name": "旧姓・通称で一致",
    "confused": "{part}の字が似ている {chars}",
    "homophone": "{part}の読みが一致(別の漢字)",
    "reading_inferred": "{part}の読みが一致(辞書による推定)",
    "near": "{part}の読みが近い",
    "disagree": "{part}が異なる",
}
TEXTS = {
    "family": _NAME_TEXTS,
    "given": _NAME_TEXTS,
    "birth_date": {
        "exact": "生年月日が一致",
        "swapped": "生年月日の日と月が入れ替わり",
        "one_digit": "生年月日が1桁違い",
        "year_month": "生年月が一致",
        "disagree": "生年月日が異なる",
    },
    "sex": {"agree": "性別が一致", "disagree": "性別が異なる"},
    "phone": {"exact": "電話番号が一致", "disagree": "電話番号が異なる"},
    "address": {"exact": "住所が一致", "postal_code": "郵便番号が一致", "disagree": "住所が異なる"},
}
PARTS = {"family": "姓", "given": "名"}


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
