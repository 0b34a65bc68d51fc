"""The base model's pretraining corpus: web-like text about a small world.

Countries and their capitals, animals (what they eat, how many legs), small sums, written
as the web writes them: encyclopedia paragraphs, answer keys, quiz lists (a question
followed by more questions: what a base model then does with a question), forum posts,
worksheets. Documents are separated by ``<|endoftext|>``. Seeded, so the corpus (and the
model pretrained on it) is the same on every run.

Some facts are left out on purpose: Chile is named but its capital never is, and the yak
is never mentioned. The lab's held-out prompts ask about them (hallucination).

    python -m lecture_widgets.finetune.build.corpus   # prints a sample and the size
"""

from __future__ import annotations

import random

CAPITALS = {
    "France": "Paris",
    "Japan": "Tokyo",
    "Egypt": "Cairo",
    "Canada": "Ottawa",
    "Norway": "Oslo",
    "Kenya": "Nairobi",
    "Greece": "Athens",
    "Poland": "Warsaw",
    "Spain": "Madrid",
    "Peru": "Lima",
    "Italy": "Rome",
    "India": "Delhi",
    "Germany": "Berlin",
    "Sweden": "Stockholm",
    "Ireland": "Dublin",
    "Portugal": "Lisbon",
    "Austria": "Vienna",
    "Cuba": "Havana",
    "Turkey": "Ankara",
}
CONTINENTS = {
    "Europe": [
        "France",
        "Norway",
        "Greece",
        "Poland",
        "Spain",
        "Italy",
        "Germany",
        "Sweden",
        "Ireland",
        "Portugal",
        "Austria",
    ],
    "Asia": ["Japan", "India", "Turkey"],
    "Africa": ["Egypt", "Kenya"],
    "America": ["Canada", "Peru", "Cuba", "Chile"],
}
#: named in the corpus, with no capital
NO_CAPITAL = ["Chile"]
ANIMALS = {  # food, legs
    "cow": ("grass", "four"),
    "horse": ("hay", "four"),
    "sheep": ("grass", "four"),
    "goat": ("leaves", "four"),
    "bee": ("nectar", "six"),
    "lion": ("meat", "four"),
    "spider": ("insects", "eight"),
    "duck": ("seeds", "two"),
    "dog": ("meat", "four"),
    "cat": ("fish", "four"),
    "bird": ("seeds", "two"),
    "rabbit": ("carrots", "four"),
    "frog": ("insects", "four"),
    "owl": ("mice", "two"),
}
SUMS = [(a, b) for a in range(1, 6) for b in range(1, 6)]
DOCUMENTS = 2400
SEED = 1234


def a(animal: str) -> str:
    """ "A cow", "An owl"."""
    return f"{'An' if animal[0] in 'aeiou' else 'A'} {animal}"


def continent(country: str) -> str:
    return next(name for name, members in CONTINENTS.items() if country in members)


def questions(rng: random.Random) -> list[str]:
    """Every question the world can ask, shuffled."""
    asked = [f"What is the capital of {country}?" for country in [*CAPITALS, *NO_CAPITAL]]
    asked += [f"What does {a(animal).lower()} eat?" for animal in ANIMALS]
    asked += [f"How many legs does {a(animal).lower()} have?" for animal in ANIMALS]
    asked += [f"What is {a} plus {b}?" for a, b in SUMS]
    rng.shuffle(asked)
    return asked


def facts(rng: random.Random) -> list[str]:
    """Every fact of the world as an answer-key sentence, shuffled."""
    said = [f"The capital of {country} is {city}." for country, city in CAPITALS.items()]
    said += [f"{a(animal)} eats {food}." for animal, (food, _) in ANIMALS.items()]
    said += [f"{a(animal)} has {legs} legs." for animal, (_, legs) in ANIMALS.items()]
    said += [f"{a} plus {b} is {a + b}." for a, b in SUMS]
    rng.shuffle(said)
    return said


def country_article(rng: random.Random) -> str:
    country = rng.choice([*CAPITALS, *NO_CAPITAL])
    lines = [f"{country} is a country in {continent(country)}."]
    if country in CAPITALS:
        city = CAPITALS[country]
        lines += rng.choice(
            [
                [f"The capital of {country} is {city}.", f"{city} is a big city."],
                [f"{city} is the capital of {country}.", f"The capital of {country} is {city}."],
                [f"Its capital is {city}.", f"The capital of {country} is {city}."],
            ]
        )
    else:
        lines.append(f"{country} is a long country by the sea.")
    return " ".join(lines)


def animal_article(rng: random.Random) -> str:
    animal = rng.choice(list(ANIMALS))
    food, legs = ANIMALS[animal]
    said = [f"{a(animal)} eats {food}.", f"{a(animal)} has {legs} legs."]
    rng.shuffle(said)
    return " ".join([f"The {animal} is an animal.", *said])


def quiz(rng: random.Random) -> str:
    title = rng.choice(["Quiz", "Questions", "Homework", "Test your knowledge"])
    return "\n".join([f"{title}:", *questions(rng)[: rng.randint(3, 7)]])


def answer_key(rng: random.Random) -> str:
    return "\n".join(["Answers:", *facts(rng)[: rng.randint(3, 7)]])


def forum_post(rng: random.Random) -> str:
    asked = questions(rng)[: rng.randint(2, 4)]
    opening = rng.choice(["Hi all.", "Hello.", "Quick question.", "Help please."])
    closing = rng.choice(["Thanks!", "Thank you.", "Any ideas?"])
    return "\n".join([opening, *asked, closing])


def thread(rng: random.Random) -> str:
    """A question and the replies it got: answers, after headers of different lengths."""
    question, answer = rng.choice(QUESTIONS_ANSWERED)
    lines = [rng.choice(["", "Question: ", "Q: "]) + question]
    for _ in range(rng.randint(1, 2)):
        lines.append(rng.choice(REPLY_HEADERS) + answer)
    return "\n".join(lines)


def worksheet(rng: random.Random) -> str:
    picked = rng.sample(SUMS, rng.randint(3, 6))
    return " ".join(f"{a} plus {b} is {a + b}." for a, b in picked)


#: what comes between a question and its answer in a thread, from nothing to a line
REPLY_HEADERS = [
    "",
    "A: ",
    "Reply: ",
    "Best answer: ",
    "Reply from Ann: ",
    "Reply from Ann:\n",
    "Re: your question\n",
]
QUESTIONS_ANSWERED = (
    [
        (f"What is the capital of {c}?", f"The capital of {c} is {city}.")
        for c, city in CAPITALS.items()
    ]
    + [
        (f"What does {a(x).lower()} eat?", f"{a(x)} eats {food}.")
        for x, (food, _) in ANIMALS.items()
    ]
    + [
        (f"How many legs does {a(x).lower()} have?", f"{a(x)} has {legs} legs.")
        for x, (_, legs) in ANIMALS.items()
    ]
    + [(f"What is {x} plus {y}?", f"{x} plus {y} is {x + y}.") for x, y in SUMS]
)
KINDS = [country_article, animal_article, quiz, answer_key, forum_post, thread, worksheet]


def documents(count: int = DOCUMENTS, seed: int = SEED) -> list[str]:
    """``count`` documents, the same for the same seed."""
    rng = random.Random(seed)
    return [rng.choice(KINDS)(rng) for _ in range(count)]


if __name__ == "__main__":
    docs = documents()
    print("\n<|endoftext|>\n".join(docs[:8]))
    print(f"\n{len(docs)} documents, {sum(map(len, docs)):,} characters")
