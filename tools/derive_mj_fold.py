"""Derive tsunagu's variant-kanji fold table from the MJ縮退マップ.

Run by hand when jntajis-python (which embeds the map) is updated:

    pip install jntajis-python && python tools/derive_mj_fold.py

The output, tsunagu/people/matching/data/mj_fold.tsv, is shipped with the package so that the
running application needs neither jntajis nor a network. Each line maps one character to the
character every variant of its family folds to. The map is licensed CC BY-SA 2.1 JP; the
notice sits beside the table (MJ_FOLD_NOTICE.md).
"""

from pathlib import Path

import jntajis

OUT = Path(__file__).resolve().parent.parent / "tsunagu/people/matching/data/mj_fold.tsv"
RANGES = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FFFF)]
SCHEMES = (
    jntajis.MJShrinkSchemeCombo.JIS_INCORPORATION_UCS_UNIFICATION_RULE
    | jntajis.MJShrinkSchemeCombo.INFERENCE_BY_READING_AND_GLYPH
    | jntajis.MJShrinkSchemeCombo.MOJ_NOTICE_582
    | jntajis.MJShrinkSchemeCombo.MOJ_FAMILY_REGISTER_ACT_RELATED_NOTICE
)

# The family-register notice also relates characters that are distinct in names (玉/王, 功/切,
# 書/昼 …). These were found by reading every fold between two JIS X 0208 characters by hand;
# such pairs are left unfolded rather than risk joining two people.
NOT_VARIANT_PAIRS = [
    "玉王",
    "功切",
    "書昼",
    "書晝",
    "師帥",
    "汎汍",
    "着著",
    "宍肉",
    "娼倡",
    "舛升",
    "匝帀",
    "夂終",
    "孩咳",
    "尓示",
    "擱閣",
    "槁橋",
    "皀香",
    "冫冰",
    "碚培",
    "揀柬",
    "疣肬",
    "犲豺",
]
NOT_VARIANTS = {frozenset(pair) for pair in NOT_VARIANT_PAIRS}


def first_candidate(char: str) -> str:
    for candidate in jntajis.mj_shrink_candidates(char, SCHEMES):
        if len(candidate) == 1:
            return candidate
    return char


def derive() -> dict[str, str]:
    fold = {}
    for low, high in RANGES:
        for code in range(low, high + 1):
            char = chr(code)
            target = first_candidate(char)
            if target != char and frozenset((char, target)) not in NOT_VARIANTS:
                fold[char] = target
    # Close the map so that folding is idempotent: a target that itself folds is followed.
    for char, target in fold.items():
        seen = {char}
        while target in fold and target not in seen:
            seen.add(target)
            target = fold[target]
        fold[char] = target
    return {
        char: target
        for char, target in fold.items()
        if char != target and frozenset((char, target)) not in NOT_VARIANTS
    }


def main() -> None:
    fold = derive()
    lines = [f"{char}\t{target}" for char, target in sorted(fold.items())]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(
        "# variant\tfolded (derived from the MJ縮退マップ; see MJ_FOLD_NOTICE.md)\n"
        + "\n".join(lines)
        + "\n",
        encoding="utf-8",
    )
    print(f"{len(lines)} characters → {OUT}")


if __name__ == "__main__":
    main()
