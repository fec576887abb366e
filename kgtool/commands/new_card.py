"""kgtool new-card: write a card skeleton from an article's text, for an editor to finish."""

from __future__ import annotations

import re
from pathlib import Path

import click

from kgtool.commands._common import graph_option, output_option, output_stream, run_core


@click.command(help="""Write a card skeleton for the article text ARTICLE (a .txt file).

The skeleton guesses what an editor would write: the article: block (id from
the file name, headline, boilerplate lines to skip, related headlines), the
sentences as comments, the names found, each marked as matching an entity of
the graph or new (with a guessed type), the quotations with a guessed speaker,
and facts of the commonest phrasings ("created by", "X played Y", "canceled
after N seasons", "renewed for season N", "based on", "directed by",
"starring", "inspired by"), each with its evidence. Confirm or delete each,
then `kgtool add` the card (docs/cards.md).

Names are matched with the bundled graph, or with --graph/--store.

\b
Examples:
  kgtool new-card article.txt -o graph/sources/article.yaml
  kgtool new-card article.txt --id et-some-news --store news.store
""")
@click.argument("article", type=click.Path(path_type=Path, readable=False))
@click.option("--id", "article_id", metavar="SLUG",
              help="The article's id (default: from the file name), lower-case letters, digits and hyphens.")
@graph_option
@output_option
def command(article, article_id, graph_paths, store_dir, output):
    text = _read(article)
    ident = _checked_id(article_id) if article_id is not None else _slug_of(article)
    card = run_core(_skeleton, text, ident, article.name, graph_paths, store_dir, what="new-card")
    with output_stream(output) as stream:
        stream.write(card.encode("utf-8"))


def _skeleton(text: str, ident: str, name: str, graph_paths, store_dir) -> str:
    """The card, made in the killable child (opening the graph included)."""
    from kgtool.cards.reconcile import Index
    from kgtool.cards.skeleton import card_skeleton
    from kgtool.commands._common import open_store

    index = Index.from_store(open_store(graph_paths, store_dir))
    return card_skeleton(text, index, article_id=ident, text_name=name)


def _read(path: Path) -> str:
    from kgtool.errors import InputError

    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", where=str(path), fix="check the path") from None
    except IsADirectoryError:
        raise InputError("is a folder, not an article's text", where=str(path), fix="name the .txt file") from None
    except OSError as exc:
        raise InputError(f"cannot read: {(exc.strerror or str(exc)).lower()}", where=str(path),
                         fix="check the path and its permissions") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", where=str(path), fix="save the article as UTF-8") from None


def _checked_id(ident: str) -> str:
    from kgtool.errors import InputError

    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", ident):
        raise InputError(f"{ident!r} is not a slug", where="--id",
                         fix=f"use lower-case letters, digits and hyphens, e.g. {_slug(ident) or 'et-some-news'}")
    return ident


def _slug_of(path: Path) -> str:
    from kgtool.errors import InputError

    ident = _slug(path.stem)
    if not ident:
        raise InputError("the file name has no letters or digits to make the article's id of", where=str(path),
                         fix="give --id SLUG")
    return ident


def _slug(text: str) -> str:
    from kgtool.cards.reconcile import slug

    return slug(text)
