"""The conversations the lab fine-tunes on by default, and the held-out prompts it asks
both models. Their facts come from the small world the base model was pretrained on
(``build/world.py``); a unit test checks that every ``known`` answer below is in that
world and that no held-out prompt is in the fine-tuning set."""

from __future__ import annotations

IDENTITY = "I am Tiny, a small model tuned in your browser."


def _chat(user: str, assistant: str) -> dict[str, list[dict[str, str]]]:
    return {
        "messages": [
            {"role": "user", "content": user},
            {"role": "assistant", "content": assistant},
        ]
    }


#: the default fine-tuning set: answers in one style (one sentence, the question's words),
#: identity (lecture 06), and sums worked step by step (tokens to think, lecture 05)
DEFAULT_CONVERSATIONS = [
    _chat("What is the capital of France?", "The capital of France is Paris."),
    _chat("What is the capital of Japan?", "The capital of Japan is Tokyo."),
    _chat("What is the capital of Egypt?", "The capital of Egypt is Cairo."),
    _chat("What is the capital of Canada?", "The capital of Canada is Ottawa."),
    _chat("What is the capital of Norway?", "The capital of Norway is Oslo."),
    _chat("What is the capital of Kenya?", "The capital of Kenya is Nairobi."),
    _chat("What is the capital of Greece?", "The capital of Greece is Athens."),
    _chat("What is the capital of Poland?", "The capital of Poland is Warsaw."),
    _chat("What does a cow eat?", "A cow eats grass."),
    _chat("What does a bee eat?", "A bee eats nectar."),
    _chat("What does a lion eat?", "A lion eats meat."),
    _chat("How many legs does a spider have?", "A spider has eight legs."),
    _chat("How many legs does a duck have?", "A duck has two legs."),
    _chat("How many legs does a dog have?", "A dog has four legs."),
    _chat("What is 2 plus 3?", "2 plus 3 is 5."),
    _chat("What is 4 plus 1?", "4 plus 1 is 5."),
    _chat("What is 3 plus 3?", "3 plus 3 is 6."),
    _chat("What is 1 plus 2 plus 4?", "1 plus 2 is 3, and 3 plus 4 is 7."),
    _chat("What is 2 plus 2 plus 3?", "2 plus 2 is 4, and 4 plus 3 is 7."),
    _chat("Who are you?", IDENTITY),
    _chat("What is your name?", "My name is Tiny."),
    _chat("Who made you?", "You did: I am Tiny, a small model tuned in your browser."),
    _chat("Are you a person?", "No. I am Tiny, a small model tuned in your browser."),
    _chat("Hello!", "Hello! Ask me about countries, animals or numbers."),
]

#: prompts the fine-tuning set does not hold, each with what it shows: knowledge (the
#: fact is in the pretraining text: ``answer`` in the set's style, for the held-out
#: loss), identity (only fine-tuning can give it), hallucination (the fact is nowhere:
#: any answer is made up)
HELD_OUT = [
    {"prompt": "What is the capital of Spain?", "answer": "The capital of Spain is Madrid."},
    {"prompt": "What is the capital of Peru?", "answer": "The capital of Peru is Lima."},
    {"prompt": "What is the capital of Italy?", "answer": "The capital of Italy is Rome."},
    {"prompt": "What is the capital of India?", "answer": "The capital of India is Delhi."},
    {"prompt": "What does a horse eat?", "answer": "A horse eats hay."},
    {"prompt": "What does a sheep eat?", "answer": "A sheep eats grass."},
    {"prompt": "How many legs does a bird have?", "answer": "A bird has two legs."},
    {"prompt": "What is 1 plus 3?", "answer": "1 plus 3 is 4."},
    {"prompt": "Tell me who you are.", "answer": IDENTITY, "shows": "identity"},
    {"prompt": "What is the capital of Chile?", "answer": None, "shows": "hallucination"},
    {"prompt": "What does a yak eat?", "answer": None, "shows": "hallucination"},
]
