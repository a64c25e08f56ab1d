"""Pages of a long list without counting millions of rows on every page: the count stops at
`COUNT_CAP` + 1 rows (a LIMIT inside the COUNT), so a province's or a country's list says
"hơn 1.000" and is narrowed by its search and filters, while a branch's list keeps its exact
total. Measured at 154,054 members: the exact COUNT 54.6 ms, the capped one 4.1 ms.

A list in its natural order (the member list by name) is paged by keyset instead of OFFSET:
the "Trang sau" link carries the sort key of the page's last row (`?sau=<name>|<id>`), the
"Trang trước" link that of its first row (`?truoc=…`), and a page reads its rows from there
on through the order's index, so page 4,000 costs what page 1 costs."""
from django.conf import settings
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.db.models.expressions import RawSQL
from django.utils.functional import cached_property

COUNT_CAP = 1000
NEXT, PREVIOUS = "sau", "truoc"  # the query parameters of a keyset page
_SEPARATOR = "|"


class CappedPaginator(Paginator):
    """A paginator whose count is exact up to `cap` and `cap` beyond it (`capped` says so):
    the pages past the cap are not offered; a search or a filter finds what is there."""

    def __init__(self, object_list, per_page=None, cap: int | None = None, **kwargs):
        super().__init__(object_list, per_page or settings.PAGE_SIZE, **kwargs)
        self.cap = COUNT_CAP if cap is None else cap

    @cached_property
    def _limited_count(self) -> int:
        # Without the order: any cap + 1 rows will do, and the database need not read them
        # in the list's order (a search would otherwise walk the name index to its match).
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self._limited_count > self.cap

    @cached_property
    def count(self) -> int:
        return min(self._limited_count, self.cap)


def page_of(request, object_list, param: str = "page"):
    return CappedPaginator(object_list).get_page(request.GET.get(param))


def parse_cursor(raw: str | None, max_length: int = 200) -> tuple[str, int] | None:
    """`<value>|<id>` from a link, or None for anything else (a link typed by hand, cut or
    tampered with gives the first page, never an error)."""
    if not raw or len(raw) > max_length or _SEPARATOR not in raw:
        return None
    value, _, pk = raw.rpartition(_SEPARATOR)
    if not pk.isascii() or not pk.isdigit() or len(pk) > 18:
        return None
    return value, int(pk)


def format_cursor(value, pk) -> str:
    return f"{value}{_SEPARATOR}{pk}"


class KeysetPage:
    """One page of a list read from a cursor on (field, pk), with the links around it.

    The template's pagination include shows "Trang đầu", "Trang trước", "Trang sau" from
    `first_query`, `previous_query`, `next_query` (query strings keeping the filters) and the
    total from `paginator` (a CappedPaginator over the whole list: one capped count)."""

    keyset = True

    def __init__(self, rows, *, paginator, params, field, has_previous, has_next):
        self.object_list = rows
        self.paginator = paginator
        self.has_previous = has_previous
        self.has_next = has_next
        self._params = params
        self._field = field

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def _key(self, row) -> str:
        return format_cursor(getattr(row, self._field), row.pk)

    def _query(self, **cursor) -> str:
        params = self._params.copy()
        for name in (NEXT, PREVIOUS, "page"):
            params.pop(name, None)
        params.update(cursor)
        return params.urlencode()

    @property
    def first_query(self) -> str:
        return self._query()

    @property
    def next_query(self) -> str:
        return self._query(**{NEXT: self._key(self.object_list[-1])}) if self.has_next else ""

    @property
    def previous_query(self) -> str:
        if not self.has_previous:
            return ""
        return self._query(**{PREVIOUS: self._key(self.object_list[0])})


def _after(field: str, value, pk: int, descending: bool) -> Q:
    """Rows after (value, pk) in the order `field, pk` (both descending if `descending`).

    Written as `field >= value AND (field > value OR pk > pk)` rather than a row comparison:
    the first term is an index range on both databases, the second only sorts out the ties."""
    gte, gt, pk_gt = ("lte", "lt", "pk__lt") if descending else ("gte", "gt", "pk__gt")
    return Q(**{f"{field}__{gte}": value}) & (Q(**{f"{field}__{gt}": value}) | Q(**{pk_gt: pk}))


def keyset_page(request, queryset, *, order: tuple[str, str], match: Q | None = None,
                broad: bool = False, per_page: int | None = None) -> KeysetPage:
    """The page of `queryset` (rows matching `match`, when given) that the request's cursor
    points at, in `order` = (field, "pk") or ("-field", "-pk"); the first page without a
    cursor, or with one that does not parse. `broad`: the scope is the whole table (a whole
    tree), where a search may walk the order first (searched_rows).

    Two queries whatever the page: its rows (one more than a page, to know whether another
    follows) and the capped count; a third only when a cursor leads to no row at all."""
    per_page = per_page or settings.PAGE_SIZE
    field = order[0].lstrip("-")
    descending = order[0].startswith("-")
    max_length = queryset.model._meta.get_field(field).max_length or 100
    params = request.GET

    def cursor(name):
        parsed = parse_cursor(params.get(name), max_length=max_length + 20)
        return parsed if parsed is not None and len(parsed[0]) <= max_length else None

    after, before = cursor(NEXT), cursor(PREVIOUS)
    paginator = CappedPaginator(queryset if match is None else queryset.filter(match), per_page)

    def read(qs, by, limit):
        if match is None:
            return list(qs.order_by(*by)[:limit])
        # The capped count first (the page shows it anyway): up to the cap the matches are
        # few, and in a province or smaller the scope is read from an index; collecting the
        # matches beats any walk through the order of the whole table.
        return searched_rows(qs, match, by, limit, walk=broad and paginator.capped)

    if before is not None and after is None:
        # Backwards from the first row of the page we came from, then back in order.
        backwards = tuple(f[1:] if f.startswith("-") else f"-{f}" for f in order)
        start = _after(field, *before, descending=not descending)
        found = read(queryset.filter(start), backwards, per_page + 1)
        if found:
            return KeysetPage(found[:per_page][::-1], paginator=paginator, params=params,
                              field=field, has_previous=len(found) > per_page, has_next=True)
    elif after is not None:
        start = _after(field, *after, descending=descending)
        found = read(queryset.filter(start), order, per_page + 1)
        if found:
            return KeysetPage(found[:per_page], paginator=paginator, params=params, field=field,
                              has_previous=True, has_next=len(found) > per_page)
    # The first page; also where a cursor leads nowhere (typed by hand, or its rows gone).
    found = read(queryset, order, per_page + 1)
    return KeysetPage(found[:per_page], paginator=paginator, params=params, field=field,
                      has_previous=False, has_next=len(found) > per_page)


# How many rows of the list, in its order, a search over whole trees first looks through.
WALK_BUDGET = 10_000


def searched_rows(queryset, match: Q, order: tuple[str, str], limit: int, *,
                  walk: bool = True) -> list:
    """The first `limit` rows of `queryset` that satisfy `match`, in `order`.

    On SQLite (small lists) a plain ORDER BY … LIMIT. On PostgreSQL neither plan the planner
    may pick is right for every search: walking the order's index and testing each row is
    instant when matches are everywhere ("van" in a country) but reads half the table when
    they sit together further on ("nguyen thi": the walk passes every name before
    "Nguyễn"), or when the scope is a small part of the table; collecting the scope's
    matches first and sorting them costs what the scope holds (read from the index of its
    organisations' names, members 0011 / recruitment 0015, or from the trigram index when
    the name is rare), whatever the order. With `walk=False` (few matches, or a scope
    smaller than the table) it collects, in a materialised CTE so that the planner cannot
    turn it back into the walk; with `walk`, one statement walks the order, stopping at the
    `limit`-th match or after `WALK_BUDGET` rows, and collects only when that found too few."""
    if connections[queryset.db].vendor != "postgresql":
        return list(queryset.filter(match).order_by(*order)[:limit])
    field = order[0].lstrip("-")
    direction = "DESC" if order[0].startswith("-") else "ASC"
    hits_sql, hits_params = (queryset.filter(match).order_by().values_list("pk", field)
                             .query.sql_with_params())
    by = f"k {direction}, id {direction}"
    if not walk:
        return list(queryset.filter(pk__in=RawSQL(
            f"WITH found AS MATERIALIZED ({hits_sql}) "
            f"SELECT f.id FROM found AS f (id, k) ORDER BY {by} LIMIT %s",
            (*hits_params, limit))).order_by(*order)[:limit])
    walk_sql, walk_params = (
        queryset.annotate(_hit=ExpressionWrapper(match, output_field=BooleanField()))
        .order_by(*order).values_list("pk", field, "_hit")[:WALK_BUDGET]
        .query.sql_with_params())
    # The walk streams: it stops at the `limit`-th match, or after WALK_BUDGET rows.
    ids = RawSQL(
        f"WITH walk AS MATERIALIZED (SELECT w.id, w.k FROM ({walk_sql}) AS w (id, k, hit) "
        f"WHERE w.hit LIMIT %s), "
        f"found AS MATERIALIZED ({hits_sql}) "
        f"SELECT id FROM walk UNION ALL "
        f"(SELECT f.id FROM found AS f (id, k) WHERE (SELECT count(*) FROM walk) < %s "
        f"ORDER BY {by} LIMIT %s)",
        (*walk_params, limit, *hits_params, limit, limit))
    return list(queryset.filter(pk__in=ids).order_by(*order)[:limit])
