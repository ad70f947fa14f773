"""HTTP helpers shared by the apps."""

from functools import wraps

from django.utils.cache import add_never_cache_headers


def token_page(view):
    """For a page reached by a personal link (a booking, a membership, preferences, unsubscribe, a
    confirmation, a consultation invitation): whatever it answers, no browser or proxy stores it
    (`Cache-Control: no-store`, with Django's other never-cache headers) and no search engine indexes
    it or follows its links (`X-Robots-Tag`). Put it outermost, so refusals (429) get it too."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapper
