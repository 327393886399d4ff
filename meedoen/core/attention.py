"""The home page's "what needs my attention": each pillar registers a provider of panels for a user.

This keeps the shared base free of imports from the pillars: they register here from their AppConfig.ready().
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Item:
    text: str
    url: str = ""
    overdue: bool = False


@dataclass
class Panel:
    title: str
    empty: str
    items: list[Item] = field(default_factory=list)
    more_url: str = ""


_providers: list[Callable] = []


def provider(func: Callable) -> Callable:
    """Register `func(user) -> list[Panel]`; it returns [] for users it has nothing for."""
    _providers.append(func)
    return func


def panels_for(user) -> list[Panel]:
    panels: list[Panel] = []
    for func in _providers:
        panels.extend(func(user))
    return panels
