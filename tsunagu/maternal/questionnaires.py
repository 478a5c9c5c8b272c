"""The questionnaires of the newborn visit, as versioned item sets.

The nurse leaves the printed form with the mother and records each item's score (0–3) from it;
tsunagu keeps the scores, their total and the set's version, so that a later edition of a form
does not change what an old visit meant.

- EPDS (エジンバラ産後うつ病質問票, Cox, Holden & Sagovsky 1987; Japanese version 岡野ら 1996):
  10 items, 0–3 each, total 0–30. 9 or more is the Japanese cut-off for a possible postnatal
  depression; any score on item 10 (thoughts of harming herself) is followed up whatever the
  total. The item texts here are short labels, not the form's wording.
- 赤ちゃんへの気持ち質問票 (Mother-to-Infant Bonding Scale, Japanese version, 吉田ら): 10 items,
  0–3 each; a higher total means more difficulty in the mother's feelings for the baby. It has no
  fixed cut-off; tsunagu asks for a follow-up from ``follow_from``, a city setting.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Questionnaire:
    code: str
    version: str
    title: str
    items: tuple[str, ...]
    follow_from: int
    urgent_item: int | None = None  # an item whose any score asks for a follow-up

    def score(self, answers: list[int]) -> int:
        """The total of the items' scores. Raises ValueError on a wrong count or a score out
        of 0–3."""
        if len(answers) != len(self.items) or any(a not in (0, 1, 2, 3) for a in answers):
            raise ValueError(f"{self.title}は{len(self.items)}項目すべてを0〜3で入力してください。")
        return sum(answers)

    def needs_follow_up(self, answers: list[int]) -> bool:
        urgent = self.urgent_item is not None and answers[self.urgent_item - 1] > 0
        return urgent or self.score(answers) >= self.follow_from


EPDS = Questionnaire(
    code="epds",
    version="1",
    title="EPDS(エジンバラ産後うつ病質問票)",
    items=(
        "笑うこと・物事のおかしさがわかる",
        "物事を楽しみにして待つ",
        "うまくいかないとき自分を責める",
        "はっきりした理由もなく不安になる",
        "はっきりした理由もなく恐怖に襲われる",
        "することがたくさんあって大変",
        "不幸せで、よく眠れない",
        "悲しくなったり惨めになったりする",
        "不幸せで、泣けてくる",
        "自分自身を傷つけるという考えが浮かぶ",
    ),
    follow_from=9,
    urgent_item=10,
)

BONDING = Questionnaire(
    code="bonding",
    version="1",
    title="赤ちゃんへの気持ち質問票",
    items=(
        "赤ちゃんをいとしいと感じる",
        "赤ちゃんのためにしないといけないことがあるのに、おろおろしてどうしていいかわからない",
        "赤ちゃんのことが腹立たしくいやになる",
        "赤ちゃんに対して何も特別な気持ちがわかない",
        "赤ちゃんに対して怒りがこみあげる",
        "赤ちゃんの世話を楽しみながらしている",
        "こんな子でなかったらなあと思う",
        "赤ちゃんを守ってあげたいと感じる",
        "この子がいなかったらなあと思う",
        "赤ちゃんをとても身近に感じる",
    ),
    follow_from=5,
)

SETS = {q.code: q for q in (EPDS, BONDING)}


def answered_urgent(answers: dict, questionnaire: Questionnaire) -> bool:
    """Whether a visit's kept answers (``NewbornVisit.answers``) score the questionnaire's
    urgent item (EPDS item 10, thoughts of self-harm)."""
    items = answers.get(questionnaire.code, {}).get("items", [])
    number = questionnaire.urgent_item
    return bool(number and len(items) >= number and items[number - 1] > 0)
