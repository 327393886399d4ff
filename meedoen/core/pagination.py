"""A paginator for lists that can hold a million rows (an administrator's signal list)."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP + 1 rows: the exact number of a million costs a scan of them all on every page and
    tells a reader nothing more than "more than 10,000". Pages beyond the cap are not offered."""

    @cached_property
    def count(self) -> int:
        if isinstance(self.object_list, list):  # already read, at most COUNT_CAP + 1
            return len(self.object_list)
        # Without the order: any COUNT_CAP + 1 rows will do, read from whichever index is narrowest.
        return self.object_list.order_by()[: COUNT_CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP
