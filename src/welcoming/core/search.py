"""Full-text search over one model, the same on SQLite (FTS5) and PostgreSQL (full text, trigrams).

Core knows no capability. An app that wants search keeps a *search index*: a plain model with one
row per searchable thing (its primary key is the thing's id) and two text columns written with
`document()`: `names` (the names, in every language) and `body` (names, descriptions and whatever
else is worth finding, in every language, without boilerplate). A migration of that app runs
`SearchExtensions()` and `CreateSearchIndex(...)`, and its services rewrite the index row whenever
the thing changes. The app then calls `search()` with a queryset of its index model that already
carries its own filters; `search()` adds the text condition and ranks.

Why it is built this way (DESIGN.md §4): ranking every match costs 1–3 ms per thousand matches,
so ranking is *bounded*. Things whose names hold every word come first, then things whose other
text does, at most `candidates` of them in all, and only those are ranked. A common word therefore
costs the same as a rare one, and `Matches.complete` says when the bound cut the list short.

Accents and case are folded in Python (`core.text.fold`) when an index row is written and when a
query is read, so both databases index and search the same unaccented lower-case words: SQLite
with FTS5's unicode61 tokenizer, PostgreSQL with the `simple` configuration and GIN indexes. (The
`unaccent` function is not immutable, so PostgreSQL cannot index through it without a wrapper;
folding before storing needs neither.) English and French are searched at once, so a French query
also finds an English-only record. Every word is matched as a prefix and a trailing plural "s" or
"x" is dropped, which stands in for stemming in both languages ("logements" finds "logement").

Small typos: when the main search finds fewer than `few` things, PostgreSQL adds the names most
similar to the query by trigram word similarity (`pg_trgm`, GIN-indexed), and SQLite searches
again with each unknown word replaced by the nearest word of the index's vocabulary (rapidfuzz
over FTS5's vocabulary table).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.operations import TrigramExtension
from django.db import connections, transaction
from django.db.migrations.operations.base import Operation
from django.db.models import BooleanField, F, FloatField, Model, Q, QuerySet
from django.db.models.expressions import Expression, RawSQL
from rapidfuzz import fuzz, process

from .text import fold

# Words too common to narrow a search in either language; a query made only of them is kept whole.
STOP_WORDS = frozenset(
    {"a", "an", "and", "at", "for", "in", "of", "on", "or", "the", "to", "with"}
    | {"au", "aux", "avec", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "ou"}
    | {"pour", "sur", "un", "une"}
)
TYPO_SIMILARITY = 80  # rapidfuzz ratio (0–100) for a vocabulary word to replace a query word
WORD_SIMILARITY = 0.45  # pg_trgm word similarity (0–1) for a name to count as a near match


@dataclass(frozen=True)
class SearchIndex:
    """Where a model's search text lives: the index model and, on SQLite, its FTS5 table."""

    model: type[Model]
    fts_table: str

    @property
    def vocabulary_table(self) -> str:
        return f"{self.fts_table}_vocabulary"


@dataclass(frozen=True)
class Matches:
    """Ids of the things found, best first, with a rank (higher is better).

    `complete` is False when the candidate bound was reached: there are more matches than `ids`
    (show "1,000+"). `approximate` is True when typo tolerance found some of them.
    """

    ids: list[int]
    ranks: list[float]
    complete: bool
    approximate: bool = False

    def __len__(self) -> int:
        return len(self.ids)


def document(*texts: str | None) -> str:
    """Index text from any number of fields (any language): folded, each word once, in order.
    (The fields are folded as one text: folding maps a space to a space, and an import indexes
    every service it writes.)"""
    return " ".join(dict.fromkeys(fold(" ".join(text for text in texts if text)).split()))


def query_terms(text: str) -> list[str]:
    """The words a query looks for: folded, stop words out (unless nothing else is left)."""
    words = list(dict.fromkeys(fold(text).split()))
    meaningful = [word for word in words if word not in STOP_WORDS]
    return [_singular(word) for word in meaningful or words]


def _singular(word: str) -> str:
    # Matched as a prefix, "logement" finds "logements" too; "cours" stays (four letters or less).
    return word[:-1] if len(word) > 4 and word[-1] in "sx" else word


def search(
    index: SearchIndex,
    *,
    text: str,
    within: QuerySet[Any] | None = None,
    candidates: int = 1000,
    few: int = 3,
) -> Matches:
    """The things of `within` (default: every index row) whose text holds every word of `text`."""
    rows = within if within is not None else index.model._default_manager.all()
    terms = query_terms(text)
    if not terms:
        return Matches(ids=[], ranks=[], complete=True)
    backend = _Postgres(index) if connections[rows.db].vendor == "postgresql" else _Sqlite(index)
    found = backend.ranked(rows, terms, candidates)
    if len(found) >= few:
        return found
    similar = backend.similar(rows, terms, candidates - len(found), exclude=found.ids)
    return Matches(
        ids=found.ids + similar.ids,
        ranks=found.ranks + similar.ranks,
        complete=found.complete and similar.complete,
        approximate=bool(similar.ids),
    )


def search_filter(
    index: SearchIndex, *, text: str, within: QuerySet[Any] | None = None, few: int = 3
) -> Q:
    """A condition on the index model: its text holds every word of `text`, or, when fewer than
    `few` of `within` do, is among the names nearest to it (typo tolerance, at most 1,000).

    Not ranked and not bounded: for a filter that pages through every match (an API) or a
    cheap bounded count (`rows.filter(condition)[:n].count()`). Built from expressions that
    follow the model's table alias, so it also works inside a subquery."""
    rows = within if within is not None else index.model._default_manager.all()
    terms = query_terms(text)
    if not terms:
        return Q(pk__in=[])
    backend = _Postgres(index) if connections[rows.db].vendor == "postgresql" else _Sqlite(index)
    exact = Q(backend.match_all(terms))
    if rows.filter(exact).order_by()[:few].count() >= few:
        return exact
    return exact | backend.near_condition(rows.exclude(exact), terms)


def search_index_optimize(index: SearchIndex, *, using: str = "default") -> None:
    """Merge SQLite's full-text index into one segment after rewriting many rows (a reindex
    leaves a delete and an insert per row, which every later search would read through).
    Nothing on PostgreSQL, whose GIN indexes autovacuum keeps."""
    if connections[using].vendor != "sqlite":
        return
    fts = index.fts_table
    with connections[using].cursor() as cursor:
        cursor.execute(f'INSERT INTO "{fts}"("{fts}") VALUES (\'optimize\')')


def relevance(terms: Sequence[str], text: str) -> float:
    """How well `text` answers the words, in [0, 1): the share of its words the query covers,
    exact words counting more than prefixes. Short names that are mostly the query come first.

    Computed in Python on the bounded candidates, so both databases rank alike and no database
    ranking function (FTS5 bm25 with a rowid list, ts_rank on an expression) is paid per row."""
    words = text.split()
    if not words:
        return 0.0
    wanted, prefixes = set(terms), tuple(terms)
    covered = 0.0
    for word in words:
        if word in wanted:
            covered += 1.0
        elif word.startswith(prefixes):
            covered += 0.5
    covered /= len(words)
    return covered / (1.0 + covered)


class _Backend:
    def __init__(self, index: SearchIndex) -> None:
        self.index = index
        self.table = index.model._meta.db_table
        self.pk = index.model._meta.pk.column

    def ranked(self, rows: QuerySet[Any], terms: list[str], candidates: int) -> Matches:
        """Names first, then the rest of the text: at most `candidates` in all, each tier ranked."""
        first = self.tier(rows, terms, candidates, names_only=True)
        ids, ranks = _stacked(first, terms, tier=1)
        if len(ids) < candidates:
            second = self.tier(rows, terms, candidates - len(ids), names_only=False)
            more_ids, more_ranks = _stacked(second, terms, tier=0)
            ids += more_ids
            ranks += more_ranks
        return Matches(ids=ids, ranks=ranks, complete=len(ids) < candidates)

    def tier(
        self, rows: QuerySet[Any], terms: list[str], limit: int, *, names_only: bool
    ) -> list[tuple[int, str]]:
        """At most `limit` (id, text) of the rows whose names (or else other text) match."""
        condition = self.condition(terms, names_only=names_only)
        column = "names" if names_only else "body"
        # No ORDER BY: the database stops at `limit` matches.
        found = rows.filter(Q(condition)).order_by().values_list("pk", column)[:limit]
        return [(int(pk), text) for pk, text in found]

    def condition(self, terms: list[str], *, names_only: bool) -> Expression:
        raise NotImplementedError

    def match_all(self, terms: list[str]) -> Expression:
        """Every word in the text (names or the rest)."""
        raise NotImplementedError

    def similar(
        self, rows: QuerySet[Any], terms: list[str], limit: int, *, exclude: Sequence[int]
    ) -> Matches:
        raise NotImplementedError

    def near_condition(self, rows: QuerySet[Any], terms: list[str]) -> Q:
        """The rows of `rows` near the words (typo tolerance), unranked: at most 1,000."""
        similar = self.similar(rows, terms, 1000, exclude=())
        return Q(pk__in=similar.ids)


def _stacked(
    found: Iterable[tuple[int, str]], terms: Sequence[str], *, tier: int
) -> tuple[list[int], list[float]]:
    scored = sorted(((tier + relevance(terms, text), pk) for pk, text in found), key=_best_first)
    return [pk for _score, pk in scored], [score for score, _pk in scored]


def _best_first(pair: tuple[float, int]) -> tuple[float, int]:
    return (-pair[0], pair[1])


class _Sqlite(_Backend):
    """FTS5 with external content: the index model's table is the content, triggers keep it."""

    def match(self, terms: list[str], *, names_only: bool) -> str:
        words = " AND ".join(f'"{term}"*' for term in terms)
        if names_only:
            return f"names : ({words})"
        return f"body : ({words}) NOT names : ({words})"

    def condition(self, terms: list[str], *, names_only: bool) -> Expression:
        return self.fts(self.match(terms, names_only=names_only))

    def match_all(self, terms: list[str]) -> Expression:
        return self.fts("body : ({})".format(" AND ".join(f'"{term}"*' for term in terms)))

    def fts(self, match: str) -> Expression:
        fts = self.index.fts_table
        return _Condition(
            "pk", f'{{column}} IN (SELECT rowid FROM "{fts}" WHERE "{fts}" MATCH %s)', [match]
        )

    def similar(
        self, rows: QuerySet[Any], terms: list[str], limit: int, *, exclude: Sequence[int]
    ) -> Matches:
        corrected = [self.nearest_word(term, rows.db) for term in terms]
        if corrected == terms or limit <= 0:
            return Matches(ids=[], ranks=[], complete=True)
        found = self.ranked(rows.exclude(pk__in=list(exclude)), corrected, limit)
        # Below every exact match: a corrected word is a guess.
        return Matches(ids=found.ids, ranks=[rank - 2 for rank in found.ranks], complete=True)

    def near_condition(self, rows: QuerySet[Any], terms: list[str]) -> Q:
        # The corrected words' condition itself: nothing to rank, and no bound needed.
        corrected = [self.nearest_word(term, rows.db) for term in terms]
        return Q(self.match_all(corrected)) if corrected != terms else Q(pk__in=[])

    def nearest_word(self, term: str, using: str) -> str:
        """The indexed word closest to `term` (same first letter, to keep the scan short)."""
        vocabulary = self.index.vocabulary_table
        with connections[using].cursor() as cursor:
            cursor.execute(f'SELECT 1 FROM "{vocabulary}" WHERE term = %s', [term])
            if cursor.fetchone() is not None or len(term) < 4:
                return term
            cursor.execute(
                f'SELECT term FROM "{vocabulary}" WHERE term >= %s AND term < %s',
                [term[0], chr(ord(term[0]) + 1)],
            )
            words = [row[0] for row in cursor.fetchall()]
        best = process.extractOne(term, words, scorer=fuzz.ratio, score_cutoff=TYPO_SIMILARITY)
        return str(best[0]) if best else term


class _Postgres(_Backend):
    """GIN indexes on `to_tsvector('simple', names|body)` and a trigram GIN index on names."""

    def condition(self, terms: list[str], *, names_only: bool) -> Expression:
        names = self.text_match("names", terms)
        if names_only:
            return names
        return _Both(self.text_match("body", terms), _Not(names))

    def match_all(self, terms: list[str]) -> Expression:
        return self.text_match("body", terms)

    def text_match(self, column: str, terms: list[str]) -> Expression:
        query = " & ".join(f"'{term}':*" for term in terms)
        return _Condition(
            column,
            "to_tsvector('simple'::regconfig, {column}) @@ to_tsquery('simple'::regconfig, %s)",
            [query],
        )

    def similar(
        self, rows: QuerySet[Any], terms: list[str], limit: int, *, exclude: Sequence[int]
    ) -> Matches:
        if limit <= 0:
            return Matches(ids=[], ranks=[], complete=True)
        names = f'"{self.table}"."names"'
        # Every word must be near a word of the names, as every word must match in `tier`.
        near = " AND ".join(f"%s <%% {names}" for _ in terms)
        similarity = RawSQL(
            " + ".join(f"word_similarity(%s, {names})" for _ in terms),
            terms,
            output_field=FloatField(),
        )
        found = (
            rows.exclude(pk__in=list(exclude))
            .filter(RawSQL(near, terms, output_field=BooleanField()))
            .annotate(search_similarity=similarity)
            .order_by("-search_similarity", "pk")
            .values_list("pk", "search_similarity")[:limit]
        )
        with transaction.atomic(using=rows.db), connections[rows.db].cursor() as cursor:
            # pg_trgm's default (0.6) misses one wrong letter in a short word; local to this
            # transaction, so no other query sees the lower threshold.
            cursor.execute(
                "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)",
                [str(WORD_SIMILARITY)],
            )
            pairs = list(found)
        return Matches(
            ids=[int(pk) for pk, _ in pairs],
            ranks=[float(score) / len(terms) - 2 for _, score in pairs],
            complete=len(pairs) < limit,
        )


class _Condition(Expression):
    """SQL about one column of the index model (`{column}` in `template`), written with the
    alias the query gives that table, so that it holds inside a subquery too."""

    output_field = BooleanField()

    def __init__(self, column: str | Expression, template: str, params: list[Any]) -> None:
        super().__init__()
        self.column = F(column) if isinstance(column, str) else column
        self.template = template
        self.params = params

    def get_source_expressions(self) -> list[Any]:
        return [self.column]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.column,) = exprs

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        column, params = compiler.compile(self.column)
        return self.template.format(column=column), (*params, *self.params)


class _Both(Expression):
    output_field = BooleanField()

    def __init__(self, *conditions: Expression) -> None:
        super().__init__()
        self.conditions = list(conditions)

    def get_source_expressions(self) -> list[Any]:
        return self.conditions

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        self.conditions = list(exprs)

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        parts = [compiler.compile(condition) for condition in self.conditions]
        return " AND ".join(f"({sql})" for sql, _ in parts), tuple(p for _, ps in parts for p in ps)


class _Not(_Both):
    def as_sql(self, compiler: Any, connection: Any) -> Any:
        sql, params = compiler.compile(self.conditions[0])
        return f"NOT ({sql})", params


class SearchExtensions(TrigramExtension):
    """`CREATE EXTENSION pg_trgm` on PostgreSQL, nothing on SQLite (docs/operations.md).

    Going back leaves the extension: it belongs to the database, and other indexes may use it."""

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        """Keep the extension (see the class)."""


class CreateSearchIndex(Operation):
    """Index an index model's `names` and `body` columns for `search()`.

    SQLite: an FTS5 table over the model's table (external content), triggers that keep it in
    step, and its vocabulary table. PostgreSQL: GIN indexes on both columns' `simple` text
    vectors and a trigram GIN index on `names` (needs `SearchExtensions` first).
    """

    reversible = True

    def __init__(self, table: str, fts_table: str, pk: str) -> None:
        self.table = table
        self.fts_table = fts_table
        self.pk = pk

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        kwargs = {"table": self.table, "fts_table": self.fts_table, "pk": self.pk}
        return self.__class__.__qualname__, [], kwargs

    def state_forwards(self, app_label: str, state: Any) -> None:
        """The index lives beside the model's table; the model state does not change."""

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        for statement in self.create_sql(schema_editor.connection.vendor):
            schema_editor.execute(statement)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        for statement in self.drop_sql(schema_editor.connection.vendor):
            schema_editor.execute(statement)

    def describe(self) -> str:
        return f"Create the full-text index of {self.table}"

    def create_sql(self, vendor: str) -> list[str]:
        table, fts, pk = self.table, self.fts_table, self.pk
        if vendor == "postgresql":
            return [
                f'CREATE INDEX "{fts}_names" ON "{table}" '
                f"USING gin (to_tsvector('simple'::regconfig, names))",
                f'CREATE INDEX "{fts}_body" ON "{table}" '
                f"USING gin (to_tsvector('simple'::regconfig, body))",
                f'CREATE INDEX "{fts}_names_trigram" ON "{table}" USING gin (names gin_trgm_ops)',
            ]
        if vendor != "sqlite":
            return []
        insert = (
            f'INSERT INTO "{fts}"(rowid, names, body) VALUES (new."{pk}", new.names, new.body);'
        )
        delete = (
            f'INSERT INTO "{fts}"("{fts}", rowid, names, body) '
            f"VALUES ('delete', old.\"{pk}\", old.names, old.body);"
        )
        return [
            f'CREATE VIRTUAL TABLE "{fts}" USING fts5(names, body, content="{table}", '
            f"content_rowid=\"{pk}\", tokenize='unicode61 remove_diacritics 2', prefix='2 3')",
            f'CREATE VIRTUAL TABLE "{fts}_vocabulary" USING fts5vocab("{fts}", \'row\')',
            f'CREATE TRIGGER "{fts}_insert" AFTER INSERT ON "{table}" BEGIN {insert} END',
            f'CREATE TRIGGER "{fts}_delete" AFTER DELETE ON "{table}" BEGIN {delete} END',
            f'CREATE TRIGGER "{fts}_update" AFTER UPDATE ON "{table}" BEGIN {delete} {insert} END',
        ]

    def drop_sql(self, vendor: str) -> list[str]:
        fts = self.fts_table
        if vendor == "postgresql":
            return [f'DROP INDEX "{fts}_{name}"' for name in ("names", "body", "names_trigram")]
        if vendor != "sqlite":
            return []
        return [
            *(f'DROP TRIGGER "{fts}_{event}"' for event in ("insert", "delete", "update")),
            f'DROP TABLE "{fts}_vocabulary"',
            f'DROP TABLE "{fts}"',
        ]


class RestoreSearchTriggers(CreateSearchIndex):
    """Write again the SQLite triggers that keep an index model's FTS5 table in step.

    SQLite cannot add a NOT NULL column in place: Django rebuilds the table, and the triggers on
    it go with the old one. A migration that adds a field to an index model runs this after.
    Nothing on PostgreSQL, whose indexes belong to the table."""

    def describe(self) -> str:
        return f"Restore the full-text triggers of {self.table}"

    def create_sql(self, vendor: str) -> list[str]:
        if vendor != "sqlite":
            return []
        fts = self.fts_table
        drop = [
            f'DROP TRIGGER IF EXISTS "{fts}_{event}"' for event in ("insert", "delete", "update")
        ]
        return drop + [
            sql for sql in super().create_sql(vendor) if sql.startswith("CREATE TRIGGER")
        ]

    def drop_sql(self, vendor: str) -> list[str]:
        return self.create_sql(vendor)
