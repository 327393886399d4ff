from meedoen.accounts import two_factor
from meedoen.accounts.navigation import entries_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    if two_factor.pending_step(request) is not None:  # nothing to go to before the second factor
        return {"navigation": [], "two_factor_pending": True}
    return {"navigation": entries_for(user)}
