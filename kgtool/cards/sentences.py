"""An article's sentences, and the evidence a card quotes from them.

`split` cuts the text into sentences: every line is a hard boundary (the headline is
sentence 1, a photo credit its own sentence), and inside a line pysbd finds the
boundaries, which a few news-specific repairs then correct (bench/segmenters.py measures
why: pysbd knows "Jr.", "L.A.", "V. E." and initials; the repairs keep a quotation of
several sentences in one sentence with its attribution, and know "Vol. 2", "Warner Bros.
Television", "E! News", "9 a.m. ET", `“Wow!” Safran said.`, and that a headline in title
case without a final stop is one sentence).

`locate` finds the sentence that holds an evidence span verbatim. The editor types on a
keyboard, the article was typeset: when no sentence holds the span exactly, quotes and
apostrophes (’ “ ” against ' "), dashes (– — against -), the ellipsis (… against ...) and
spaces (NBSP, runs of spaces) are folded on both sides and the match is tried again; the
sentence returned keeps the article's own characters, and `as_written` gives the span in
them. Letters and case are never folded. A span found nowhere raises EvidenceError naming
the closest sentence and the words that differ.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable, Sequence

from kgtool.errors import EvidenceError


@dataclass(frozen=True)
class Sentence:
    """One sentence: its 1-based position in the article and where it sits in the text."""

    position: int
    text: str
    start: int
    end: int


Cutter = Callable[[str], list[int]]  # a line -> the offsets where its sentences begin (the first left out)


def split(text: str, skip: Iterable[str] = ()) -> list[Sentence]:
    """The sentences of an article, numbered from 1; a line or sentence equal to a `skip` entry is left out."""
    return segment(text, skip, pysbd_cuts, repair=True)


def segment(text: str, skip: Iterable[str], cutter: Cutter, *, repair: bool = True) -> list[Sentence]:
    """`split` with another segmenter (a Cutter), or without the repairs (bench/segmenters.py compares them)."""
    skipped = {entry.strip() for entry in skip}
    sentences: list[Sentence] = []
    for line in re.finditer(r"[^\n]+", text):
        body = line.group()
        if not body.strip() or body.strip() in skipped:
            continue
        cuts = repaired(body, cutter(body)) if repair else cutter(body)
        for begin, end in zip([0, *cuts], [*cuts, len(body)]):
            piece = body[begin:end].strip()
            if piece and piece not in skipped:
                start = line.start() + begin + (len(body[begin:end]) - len(body[begin:end].lstrip()))
                sentences.append(Sentence(len(sentences) + 1, piece, start, start + len(piece)))
    return sentences


@lru_cache(maxsize=1)
def _pysbd_segmenter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def pysbd_cuts(line: str) -> list[int]:
    """Where pysbd starts a new sentence in the line (its pieces found back in the line, in order)."""
    cuts, cursor = [], 0
    for piece in _pysbd_segmenter().segment(line):
        core = piece.strip()
        if not core:
            continue
        at = line.find(core, cursor)
        if at < 0:  # pysbd changed the text: the rest of the line stays in the sentence it was in
            break
        if cursor > 0:
            cuts.append(at)
        cursor = at + len(core)
    return cuts


# ---- the repairs -------------------------------------------------------------------------------

_NUMBERED = re.compile(r"\b(?:Vols?|Pts?|Nos?|Eps?|Ch|Sec|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.$")
_CONTINUED = (  # (the end of the piece before, the start of the piece after) that never make a boundary
    (_NUMBERED, re.compile(r"\d")),
    (re.compile(r"\bBros\.$"), re.compile(r"(?:TV|Television|Pictures|Discovery|Entertainment|Animation|"
                                           r"Records|Games|Studios|Domestic|International)\b")),
    (re.compile(r"(?:^|\s)E!$"), re.compile(r"(?:News|Online|Entertainment|True Hollywood)\b")),
    (re.compile(r"\b[ap]\.m\.$"),
     re.compile(r"(?:[ECMP][SD]?T|GMT|BST|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)\b")),
    (re.compile(r"^[“\"][^“”\"]*[!?][”\"]$"), re.compile(  # “Wow!” Safran said.  -> one sentence
        r"(?:[A-Z][\w’'.-]*\s+){1,3}(?:said|says|told|wrote|writes|added|asked|explained|continued|tweeted|"
        r"shared|revealed|raved|recalled|joked|noted|exclaimed|admitted|insisted|laughed|shouted|replied)\b")),
    (re.compile(r"."), re.compile(r"[a-z][a-z\s]|[,;:)\]]")),  # a piece that begins in lower case goes on
)
_ABBREVIATION = re.compile(r"(?:\b[A-Za-z]\.)+[A-Za-z]?\.?$|\b(?:Jr|Sr|Dr|Mr|Mrs|Ms|St|Inc|Co|Corp|Ltd|Bros|vs)\.$")


_SMALL_WORDS = {"a", "an", "the", "and", "or", "but", "nor", "of", "for", "as", "to", "in", "on", "at", "by",
                "with", "from", "vs", "via", "de"}


def is_headline(line: str) -> bool:
    """A line in title case that ends without a full stop: a headline, a credit, a related title."""
    if re.search(r"[.!?…:;][\"'’”)\]]*$", line.strip()):
        return False
    words = [word for word in re.findall(r"[^\W\d_][\w’'.-]*", line) if word.lower() not in _SMALL_WORDS]
    return bool(words) and sum(word[0].isupper() for word in words) >= 0.8 * len(words)


def repaired(line: str, cuts: Sequence[int]) -> list[int]:
    """The segmenter's cuts, less those inside a quotation or a name, plus one after a quoted sentence."""
    if is_headline(line):
        return []
    quoted = quotations(line)
    kept, begin = set(), 0
    for cut in cuts:
        if not _continues(line, begin, cut, quoted):
            kept.add(cut)
            begin = cut
    return sorted(kept | set(_after_quoted_sentences(line, quoted)))


def _continues(line: str, begin: int, cut: int, quoted: list[tuple[int, int]]) -> bool:
    """Whether the sentence begun at `begin` goes on past the segmenter's cut."""
    if any(opening < cut < closing for opening, closing in quoted):
        return True
    before, after = line[begin:cut].strip(), line[cut:]
    if not re.search(r"[.!?…:;][\"'’”)\]]*$", before):  # no sentence ends without a stop
        return True
    return any(end.search(before) and start.match(after) for end, start in _CONTINUED)


def _after_quoted_sentences(line: str, quoted: list[tuple[int, int]]) -> list[int]:
    """A quotation that ends in a full stop ends its sentence: ‘Flirty Dancing.’ It airs on Fox."""
    cuts = []
    for _, closing in quoted:
        if line[closing - 2:closing - 1] != "." or _ABBREVIATION.search(line[:closing - 1]):
            continue
        following = re.match(r"\s+(?=[A-Z“‘\"])", line[closing:])
        if following and not any(o < closing < c for o, c in quoted):
            cuts.append(closing + following.end())
    return cuts


def quotations(line: str) -> list[tuple[int, int]]:
    """(opening mark, after the closing mark) of each closed quotation: “…”, ‘…’ and "…"."""
    spans, opened, depth = [], None, 0
    for at, mark in enumerate(line):
        if mark == "“":
            opened, depth = (at if depth == 0 else opened), depth + 1
        elif mark == "”" and depth:
            depth -= 1
            if depth == 0:
                spans.append((opened, at + 1))
    straight = [at for at, mark in enumerate(line) if mark == '"']
    spans += [(straight[i], straight[i + 1] + 1) for i in range(0, len(straight) - 1, 2)]
    single = re.finditer(r"(?<![\w’])‘[^‘’]*?[^\s‘]’(?![\w])", line)  # ’ inside a word is an apostrophe
    spans += [(match.start(), match.end()) for match in single]
    return spans


# ---- evidence ----------------------------------------------------------------------------------

_FOLDS = {**dict.fromkeys("‘’‚‛′`", "'"), **dict.fromkeys("“”„‟″", '"'),
          **dict.fromkeys("‐‑‒–—―−", "-"), "…": "..."}
_FOLD_TABLE = str.maketrans(_FOLDS)


def fold(text: str) -> str:
    """The text with typographic variants made plain: quotes, dashes, the ellipsis, every run of spaces."""
    return re.sub(r"\s+", " ", text.translate(_FOLD_TABLE)).strip()


def locate(span: str, sentences: Sequence[Sentence]) -> Sentence:
    """The first sentence that holds `span` (exactly, else after folding); EvidenceError if none."""
    found = locate_all(span, sentences)
    if not found:
        raise _not_found(span, sentences)
    return found[0]


def locate_all(span: str, sentences: Sequence[Sentence]) -> list[Sentence]:
    """Every sentence that holds `span` exactly; if none does, every one that holds it after folding."""
    wanted = span.strip()
    if not wanted:
        return []
    exact = [sentence for sentence in sentences if wanted in sentence.text]
    if exact:
        return exact
    folded = fold(wanted)
    return [sentence for sentence in sentences if folded in fold(sentence.text)]


def find_in(sentence: Sentence | str, words: str) -> bool:
    """Whether the sentence has these words, folded alike, as whole words ("large" is not in "largely")."""
    text = sentence.text if isinstance(sentence, Sentence) else sentence
    wanted = fold(words)
    if not wanted:
        return False
    pattern = ((r"(?<!\w)" if wanted[0].isalnum() else "") + re.escape(wanted)
               + (r"(?!\w)" if wanted[-1].isalnum() else ""))
    return re.search(pattern, fold(text)) is not None


def as_written(span: str, sentence: Sentence) -> str | None:
    """The span in the sentence's own characters (curly quotes, NBSP), or None if it is not there."""
    wanted = span.strip()
    if wanted in sentence.text:
        return wanted
    folded, origin = _folded_with_origin(sentence.text)
    at = folded.find(fold(wanted))
    if at < 0 or not wanted:
        return None
    last = at + len(fold(wanted)) - 1
    return sentence.text[origin[at]:origin[last] + 1]


@lru_cache(maxsize=4096)
def _folded_with_origin(text: str) -> tuple[str, tuple[int, ...]]:
    """fold(text), and for each of its characters the offset in `text` it came from."""
    chars, origin = [], []
    for at, char in enumerate(text):
        if char.isspace():
            if not chars or chars[-1] == " ":
                continue
            char = " "
        for plain in _FOLDS.get(char, char):
            chars.append(plain)
            origin.append(at)
    while chars and chars[-1] == " ":
        chars.pop()
        origin.pop()
    return "".join(chars), tuple(origin)


_FIX = ("copy the words from the article's text exactly (straight or curly quotes, dashes and spaces "
        "may differ; letters may not)")


def _not_found(span: str, sentences: Sequence[Sentence]) -> EvidenceError:
    shown = _short(span.strip(), 80)
    if not span.strip():
        return EvidenceError("evidence is empty", fix="give the words of the article that state the fact")
    if not sentences:
        return EvidenceError(f'evidence "{shown}" is not in the article: the article has no sentences', fix=_FIX)
    wanted = fold(span)
    for first, second in zip(sentences, sentences[1:]):
        if wanted in fold(first.text + " " + second.text):
            return EvidenceError(
                f'evidence "{shown}" runs across sentences {first.position} and {second.position}',
                fix="cut it to the words of one sentence (a fact may have one sentence as evidence)")
    closest = _closest(wanted, sentences)
    excerpt, differences = _compare(wanted, closest)
    return EvidenceError(
        f'evidence "{shown}" is not in the article; closest: sentence {closest.position} "{excerpt}"'
        f" (differs at {differences})", fix=_FIX)


def _closest(wanted: str, sentences: Sequence[Sentence]) -> Sentence:
    """The sentence that holds the string most like the span (the first of equals)."""
    from rapidfuzz import fuzz

    scores = [fuzz.partial_ratio(wanted, fold(sentence.text)) for sentence in sentences]
    return sentences[scores.index(max(scores))]


_TOKEN = re.compile(r"\w+|[^\w\s]")


def _compare(wanted: str, sentence: Sentence) -> tuple[str, str]:
    """The sentence's words that line up with the span, as written (…-elided), and those that differ."""
    folded, origin = _folded_with_origin(sentence.text)
    ours, theirs = list(_TOKEN.finditer(wanted)), list(_TOKEN.finditer(folded))
    blocks = [block for block in _matcher(ours, theirs).get_matching_blocks() if block.size]
    if blocks:  # from the first word in common to the last, widened by the span's unmatched ends
        first = max(0, blocks[0].b - blocks[0].a)
        last = min(len(theirs), blocks[-1].b + blocks[-1].size + len(ours) - blocks[-1].a - blocks[-1].size)
    else:
        first, last = 0, min(len(theirs), len(ours))
    region = theirs[first:last]

    def written(tokens):
        return sentence.text[origin[tokens[0].start()]:origin[tokens[-1].end() - 1] + 1] if tokens else ""

    changes = []
    for tag, i1, i2, j1, j2 in _matcher(ours, region).get_opcodes():
        if tag != "equal":
            if not any(t.group()[0].isalnum() for t in ours[i1:i2]) or not any(
                    t.group()[0].isalnum() for t in region[j1:j2]):  # a lone mark: show its neighbours
                i1, j1, i2, j2 = max(i1 - 1, 0), max(j1 - 1, 0), i2 + 1, j2 + 1
            mine = ours[i1:i2]
            changes.append((wanted[mine[0].start():mine[-1].end()] if mine else "", written(region[j1:j2])))
    differences = "; ".join(f'"{_short(a, 40)}" / "{_short(b, 40)}"' for a, b in changes[:3]) or "spacing"
    excerpt = ("…" if first > 0 else "") + _short(written(region), 120) + ("…" if last < len(theirs) else "")
    return excerpt, differences


def _matcher(ours, theirs):
    from difflib import SequenceMatcher

    return SequenceMatcher(None, [t.group() for t in ours], [t.group() for t in theirs], autojunk=False)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"
