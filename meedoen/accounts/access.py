"""URL-level access rules. Every view declares who may use it; a view without a rule is refused.

Object-level rules (which signal, which resident) live in each app's selectors.
"""

from collections.abc import Callable, Iterable

from meedoen.accounts.models import Role

PUBLIC = "public"
ANY_ROLE = frozenset(Role.values)
PERSONAL_DATA_ROLES = frozenset(
    {Role.PROFESSIONAL, Role.CHAIR, Role.BRIGADE_COORDINATOR, Role.BRIGADIER, Role.HOST, Role.ADMIN}
)
# Roles that must use two factors where TWO_FACTOR_REQUIRED is on: those that see personal data, and the privacy
# officer, who reads the access log. Staff must too (meedoen.accounts.two_factor.required_for).
TWO_FACTOR_ROLES = PERSONAL_DATA_ROLES | {Role.PRIVACY_OFFICER}


def public(view: Callable) -> Callable:
    """Mark a view as open to everyone, logged in or not."""
    view.access_rule = PUBLIC
    return view


def roles(*allowed: Iterable[str] | str) -> Callable[[Callable], Callable]:
    """Allow a view to logged-in users whose role is one of `allowed` (roles or sets of roles)."""
    flat: set[str] = set()
    for item in allowed:
        flat.update([item] if isinstance(item, str) else item)

    def decorate(view: Callable) -> Callable:
        view.access_rule = frozenset(flat)
        return view

    return decorate


def rule_allows(rule, user) -> bool:
    if rule == PUBLIC:
        return True
    if not isinstance(rule, frozenset) or not user.is_authenticated or not user.is_active:
        return False
    return user.role in rule
