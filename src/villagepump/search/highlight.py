"""The words of a post that a query matched, as Mattermost's `matches` lists them for clients
to highlight: words as the post spells them, and for text without spaces the matched run."""

from villagepump.search.query import SearchQuery, Term
from villagepump.search.text import fold, is_unspaced, mention_tokens, word_tokens

_EDGE_PUNCTUATION = "\"'()[]{}<>.,;:!?*~`_"


def matched_words(message: str, query: SearchQuery) -> list[str]:
    found: list[str] = []
    unspaced = [t for t in query.terms if any(is_unspaced(token) for token in t.tokens)]
    spaced = [t for t in query.terms if t not in unspaced]
    for raw in message.split():
        word = raw.strip(_EDGE_PUNCTUATION)
        if word and word not in found and _word_matches(word, spaced):
            found.append(word)
    folded = fold(message)
    for term in unspaced:
        if term.text and fold(term.text) in folded and term.text not in found:
            found.append(term.text)
    return found


def _word_matches(word: str, terms: list[Term]) -> bool:
    tokens = word_tokens(word)
    tags = set(mention_tokens(word))
    if word.startswith("#"):
        tags.add("#" + "".join(tokens))
    for term in terms:
        wanted = term.tokens
        if wanted[0][0] in "@#":
            if any(tag == wanted[0] or (term.prefix and tag.startswith(wanted[0])) for tag in tags):
                return True
            continue
        if any(
            _token_matches(token, want, term.prefix and want == wanted[-1])
            for token in tokens
            for want in wanted
        ):
            return True
    return False


def _token_matches(token: str, wanted: str, prefix: bool) -> bool:
    return token.startswith(wanted) if prefix else token == wanted
