"""Decisions from the scores: 'same', 'review' or nothing, and why a likely pair waits.

'same' needs the match probability (model.score) to reach a threshold chosen on labelled
records (tools/train_default_model.py) and no kind of look-alike pair to be suspected; each
kind (twins, parent and child, namesakes, siblings …) is a mask here, and names the caution
the review page shows.
"""

import numpy as np

from .compare import (
    ADDRESS,
    BIRTH_DATE,
    COMPARISONS,
    FAMILY,
    GIVEN,
    HOUSEHOLD,
    MISSING,
    PHONE,
    SEX,
    Comparison,
)
from .model import Parameters, Scores

# Given-name levels on which 'same' may rest: the name agrees, allowing for how it was written.
# Readings one kana apart ("slip", "near") are not among them, even a look-alike kana: a slip
# (トシヒロ read トシヒコ) and twins named alike (トシヒロ and トシヒコ) leave the same evidence,
# so a person decides.
SAME_GIVEN = ("exact", "variant", "reading", "homophone", "confused", "reading_inferred")
# Levels where two different names may be behind the agreement (悠斗/悠人 both ユウト).
WEAK_GIVEN = ("homophone", "confused", "reading_inferred")
# Levels that say "this is the given name" however the surname now reads.
FIRM_GIVEN = ("exact", "variant", "reading")


def _column(scores: Scores, comparison: Comparison) -> np.ndarray:
    return scores.vectors[:, COMPARISONS.index(comparison)]


def _is(scores: Scores, comparison: Comparison, *levels: str) -> np.ndarray:
    return np.isin(_column(scores, comparison), [comparison.index(x) for x in levels])


def names_agree(scores: Scores) -> np.ndarray:
    """Both names agree as the same name could be written (a variant, a reading, a former
    surname), or one is not given."""
    family = _is(scores, FAMILY, *FIRM_GIVEN, "other_name", "homophone", "reading_inferred")
    given = _is(scores, GIVEN, *FIRM_GIVEN, "homophone", "reading_inferred")
    family_missing = _column(scores, FAMILY) == MISSING
    given_missing = _column(scores, GIVEN) == MISSING
    return (family | family_missing) & (given | given_missing) & ~(family_missing & given_missing)


def named_apart(scores: Scores) -> np.ndarray:
    """Pairs whose given names plainly differ (both written, in kanji and reading): never in one
    cluster, whatever links them through others. Names one kana apart are not among them: one
    person's records often hold a slip."""
    return _is(scores, GIVEN, "disagree")


def never_same_person(scores: Scores) -> np.ndarray:
    """Pairs that are never proposed, however strong the rest: the evidence of siblings.

    Siblings share a surname, a home, a phone and twins a birth date: everything except the
    given name, and Fellegi–Sunter would add it all up. A given name that plainly differs
    vetoes; so does a birth date that plainly differs unless the given names agree outright
    (隼輝/隼樹 born years apart are brothers, not a typo)."""
    veto = _is(scores, GIVEN, "disagree")
    return veto | (_is(scores, BIRTH_DATE, "disagree") & ~_is(scores, GIVEN, *FIRM_GIVEN))


def look_alike_kinds(scores: Scores) -> dict[str, np.ndarray]:
    """Each kind of pair that looks like one person and may be two, as a mask over the pairs;
    a person must look at them however likely (cautions). Their codes name the cautions the
    review page shows (reasons.CAUTIONS).

    - twins: given names one kana apart, even a look-alike kana (ユイ/ユナ, トシヒコ/トシヒロ);
    - parent_child: birth dates that differ beyond one slip, the names shared;
    - namesakes: a name and a birth date shared while the phone and the address both differ
      and no household is shared;
    - siblings: given names in other kanji of one reading (悠斗/悠人: on the tune profile every
      such pair the probability called sure was two children), or a given name agreeing only
      weakly (a confusable kanji, a dictionary's reading) with no birth date to tell;
    - name_only: a name and nothing else agreeing (no birth date, phone, address or household);
    - surname_changed: another surname and no contact shared (a woman who married and moved,
      or another woman of that given name born that day).
    """
    return {
        "twins": ~_is(scores, GIVEN, *SAME_GIVEN),
        "parent_child": _is(scores, BIRTH_DATE, "disagree"),
        "namesakes": (
            _is(scores, PHONE, "disagree")
            & _is(scores, ADDRESS, "disagree")
            & ~_is(scores, HOUSEHOLD, "shared_member")
        ),
        "siblings": _is(scores, GIVEN, "homophone")
        | (_is(scores, GIVEN, *WEAK_GIVEN) & (_column(scores, BIRTH_DATE) == MISSING)),
        "name_only": ~_is(scores, BIRTH_DATE, *BIRTH_AGREES) & ~_shares_a_contact(scores),
        "surname_changed": _is(scores, FAMILY, "disagree") & ~_shares_a_contact(scores),
    }


def cautions(scores: Scores) -> np.ndarray:
    """The first look-alike kind of each pair (its code), '' for none: a pair with one is
    never 'same', only 'review'."""
    found = np.full(len(scores.probability), "", dtype=object)
    for code, mask in reversed(look_alike_kinds(scores).items()):
        found[mask] = code
    return found


# Birth-date levels that count as a second kind of evidence beside the name.
BIRTH_AGREES = ("exact", "swapped", "one_digit", "year_month")


def _shares_a_contact(scores: Scores) -> np.ndarray:
    return (
        _is(scores, PHONE, "exact")
        | _is(scores, ADDRESS, "exact", "postal_code")
        | _is(scores, HOUSEHOLD, "shared_member")
    )


def worth_a_look(scores: Scores) -> np.ndarray:
    """Pairs always shown for review unless vetoed: the same given name and birth date, the
    sex not differing. An adult who married and moved leaves no more than this (a new
    surname, a new address, maybe a new phone), and must never be lost."""
    return (
        _is(scores, GIVEN, *FIRM_GIVEN)
        & _is(scores, BIRTH_DATE, "exact")
        & ~_is(scores, SEX, "disagree")
    )


def decide(parameters: Parameters, scores: Scores) -> np.ndarray:
    """'same', 'review' or '' for each pair (see judge)."""
    return judge(parameters, scores)[0]


def judge(parameters: Parameters, scores: Scores) -> tuple[np.ndarray, np.ndarray]:
    """('same', 'review' or '' for each pair, its caution code or '').

    'same' when the match probability reaches ``parameters.same_probability`` (chosen on
    labelled synthetic records for precision ≥ 0.995, see tools/train_default_model.py) and no
    kind of look-alike pair is suspected (cautions); 'review' from
    ``parameters.review_probability``, or when worth_a_look; nothing when never_same_person.
    """
    probability = scores.probability
    kinds = cautions(scores)
    decision = np.where(
        (probability >= parameters.review_probability) | worth_a_look(scores), "review", ""
    )
    sure = (probability >= parameters.same_probability) & (kinds == "")
    decision = np.where(sure, "same", decision)
    return np.where(never_same_person(scores), "", decision), kinds
