"""The self-help handout: one paragraph per advice code, from the article's "Self-Help" section.

"general" is the handout for SH-0, when no specific rule fired.
"""

from __future__ import annotations

from typing import NamedTuple


class Advice(NamedTuple):
    code: str
    title: str
    patient_text: str


ADVICE: dict[str, Advice] = {
    advice.code: advice
    for advice in (
        Advice(
            "bigger_shoes",
            "Wear shoes that are big enough",
            "Shoes that are too tight press on the nerves of your foot, and a nerve that is "
            "pressed on makes the foot tingle or go numb. Buy running shoes that are a little "
            "bigger, so that nothing presses on your foot while you run.",
        ),
        Advice(
            "wider_toe_box",
            "Choose shoes with room for your toes",
            "Make sure there is enough room at the front of the shoe (the toe box) for you to "
            "wiggle your toes easily. A narrow toe box squeezes the toes together and presses "
            "on the nerves that run between them.",
        ),
        Advice(
            "looser_lacing",
            "Lace your shoes less tightly",
            "Laces pulled tight press on the nerves across the top of your foot. Loosen your "
            "laces to take away the pressure points: the shoe should feel secure, not tight.",
        ),
        Advice(
            "thinner_socks",
            "Wear thinner socks",
            "Thick socks take up room inside the shoe and squeeze the foot. Try thinner running "
            "socks, which leave your foot more space.",
        ),
        Advice(
            "stiffer_sole",
            "Choose shoes with a stiffer sole",
            "A shoe with a very flexible sole lets the ball of your foot take a pounding with "
            "every step. That can cause swelling and injury where the nerves to your toes pass "
            "between the bones. A shoe with a stiffer sole protects this area.",
        ),
        Advice(
            "gradual_mileage",
            "Build up your running slowly",
            "Do not suddenly increase how long or how far you run: a sudden jump can injure your "
            "feet. Add a little at a time, and give your body a few weeks to get used to each "
            "increase before the next one.",
        ),
        Advice(
            "running_form",
            "Run lightly",
            'Pay attention to your running form. Try not to "slap" or "pound" your feet on the '
            "ground as you run: a lighter, quieter footfall puts less strain on your feet and "
            "their nerves.",
        ),
        Advice(
            "general",
            "Keeping numbness away while you run",
            "Numbness in the foot while running is common, and most of the time it is easily "
            "corrected by taking the pressure off the nerves. Wear shoes that are big enough, "
            "with room to wiggle your toes; lace them firmly but not tightly; wear socks that do "
            "not crowd your foot; run lightly rather than slapping your feet down; and increase "
            "your running time or distance slowly. If the numbness does not go away after a few "
            "weeks of these changes, or gets worse, come back and see us.",
        ),
    )
}
