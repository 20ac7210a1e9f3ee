"""A process's bounded memory of its latest answers (kb.search.matches, kb.search.pages)."""

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

from django.conf import settings

V = TypeVar("V")


class Recent(Generic[V]):
    """At most ``limit`` values, the least recently used dropped first; safe to share
    between a worker's threads. The limit is a setting's name, read on each use, so a
    setting of 0 keeps nothing."""

    def __init__(self, setting: str) -> None:
        self.setting = setting
        self._lock = threading.Lock()
        self._values: OrderedDict[Hashable, V] = OrderedDict()

    @property
    def limit(self) -> int:
        return getattr(settings, self.setting)

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
            return value

    def put(self, key: Hashable, value: V) -> None:
        limit = self.limit
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > limit:
                self._values.popitem(last=False)

    def __len__(self) -> int:
        return len(self._values)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
