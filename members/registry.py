"""The foundation's extension points. members never imports the apps built on it; they add
their import kinds, extra exports, demo data and role home pages here from their
`AppConfig.ready()`, as NetBox's registry and Wagtail's hooks do."""
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string


class Register(Mapping):
    """Named entries in the order they were registered. Apps are made ready in INSTALLED_APPS
    order, lower apps first, so that is also the order of the layers."""

    def __init__(self, what: str):
        self.what = what
        self._entries: dict = {}

    def register(self, name, entry) -> None:
        # ready() runs again when the apps are repopulated: the same entry twice is harmless,
        # two different entries under one name are a mistake.
        current = self._entries.get(name)
        if current is not None and current != entry:
            raise ImproperlyConfigured(f"{self.what} {name!r} is registered twice.")
        self._entries[name] = entry

    def __getitem__(self, name):
        return self._entries[name]

    def __iter__(self) -> Iterator:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)


def load(entry):
    """An entry given as a dotted path, imported; any other entry as it is. A dotted path
    keeps a heavy module (PDF rendering, say) out of start-up until it is first used."""
    return import_string(entry) if isinstance(entry, str) else entry


@dataclass(frozen=True)
class Export:
    """A download that is not an import kind: `rows(user, params)` chooses the objects, and
    they are written in the columns of the import kind `layout`."""

    layout: str
    rows: Callable | str


# kind → resource class or its dotted path, in the order a whole database is loaded.
import_kinds = Register("Import kind")
# kind → Export.
export_kinds = Register("Export kind")
# name → seed(today, rng), run in order by `seed_demo` after the tree and the users; it
# returns a phrase for the summary line ("12 hồ sơ …") or None.
demo_seeders = Register("Demo seeder")
# role → view(request, cards) or its dotted path: the home page of a user holding that role,
# instead of the cards alone.
home_pages = Register("Home page")
# name → panel(request) or its dotted path: what needs the user now, shown at the top of the
# home page of every role (an upper app's returned dossiers…); it returns HTML or "".
home_panels = Register("Home panel")
# name → guard(member, kind) or its dotted path: an upper app's objection to a movement
# recorded outside its own steps (`record_movement` without `from_pipeline`), e.g. a
# probationary member whose admission dossier is still open. It returns "" when it has none,
# else the refusal in Vietnamese, or (refusal, URL of the page where it can be done).
movement_guards = Register("Movement guard")
# URL name of a navigation link → count(request) or its dotted path: a number shown beside
# the link (what is due for the user behind "Việc cần làm"); 0 shows nothing, above 99 shows
# "99+" (so it may stop counting at 100). It must stay cheap: it runs on every page.
nav_counts = Register("Navigation count")
