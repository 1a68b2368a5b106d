"""Features of the averaged-perceptron tagger, shared by training and tagging.

The feature set follows Collins (2002) and Honnibal's well-known greedy tagger: the word,
its prefixes and suffixes (1-4 letters), its shape, the two words either side, the suffixes
of the neighbouring words, and the two tags already predicted to the left.

Features that depend only on the word itself (:func:`word_features`) are kept apart from
those that depend on its context (:func:`context_features`), so that the tagger can cache
the sum of a word's own feature weights.
"""

from __future__ import annotations

START = ("-START2-", "-START-")
END = ("-END-", "-END2-")


def normalise(word: str) -> str:
    """The form a word is looked up under: lower case, with numbers folded together."""
    low = word.lower()
    if low[:1].isdigit():
        return "!YEAR" if len(low) == 4 and low.isdigit() else "!DIGITS"
    return low


def shape(word: str) -> str:
    """A short shape: ``Xx`` for "Open", ``x`` for "open", ``d.d`` for "2.5", ``X`` for "SOP"."""
    out: list[str] = []
    last = ""
    for char in word:
        if char.isalpha():
            kind = "X" if char.isupper() else "x"
        elif char.isdigit():
            kind = "d"
        else:
            kind = char
        if kind != last:
            out.append(kind)
            last = kind
            if len(out) == 5:
                break
    return "".join(out)


def word_features(word: str, norm: str) -> list[str]:
    """The features of ``word`` on its own; ``norm`` is ``normalise(word)``."""
    low = word.lower()
    return [
        "b",
        "w " + norm,
        "s1 " + low[-1:],
        "s2 " + low[-2:],
        "s3 " + low[-3:],
        "s4 " + low[-4:],
        "p1 " + low[:1],
        "p2 " + low[:2],
        "p3 " + low[:3],
        "p4 " + low[:4],
        "sh " + shape(word),
    ]


def padded(norms: list[str]) -> list[str]:
    """The normalised words of a sentence with two padding symbols on each side."""
    return [*START, *norms, *END]


def context_features(context: list[str], j: int, prev: str, prev2: str) -> tuple[str, ...]:
    """The features of the word at ``context[j]`` (a :func:`padded` list) in its context.

    ``prev`` and ``prev2`` are the tags predicted for the two words before it.
    """
    before, after = context[j - 1], context[j + 1]
    return (
        "t1 " + prev,
        "t2 " + prev2 + " " + prev,
        "tw " + prev + " " + context[j],
        "w-1 " + before,
        "w-2 " + context[j - 2],
        "w+1 " + after,
        "w+2 " + context[j + 2],
        "s-1 " + before[-3:],
        "s+1 " + after[-3:],
        "t1s " + prev + " " + context[j][-3:],
        "ww+1 " + context[j] + " " + after,
        "w-1w " + before + " " + context[j],
    )


def features(
    words: list[str], norms: list[str], context: list[str], i: int, prev: str, prev2: str
) -> list[str]:
    """All features of word ``i`` of a sentence (used in training)."""
    return [*word_features(words[i], norms[i]), *context_features(context, i + 2, prev, prev2)]
