from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import add_never_cache_headers


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Chinese unless the visitor chose another language with the switch on the page.

    The browser's Accept-Language is ignored on purpose: many phones in China ship with an
    English system language, and their owners expect a Chinese government site in Chinese.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        translation.activate(chosen if chosen in supported else settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()


# Pages that show personal data or staff work: no browser, proxy or shared computer keeps them.
NO_STORE_PATH_PREFIXES = (
    "/workbench/",
    "/ledger/",
    "/statistics/",
    "/admin/",
    "/accounts/",
    "/notice/withhold/",
)


def _directives(cache_control: str) -> set[str]:
    return {part.strip().split("=", 1)[0].lower() for part in cache_control.split(",")}


class NoStoreMiddleware:
    """`Cache-Control: no-store` on the workbench, ledger, statistics, exports and admin pages.

    Also on every other response to a signed-in user that does not declare itself public (a
    public QR code stays cacheable): such a page may carry the user's name or their work.
    Anonymous public pages keep their own caching.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if request.path.startswith(NO_STORE_PATH_PREFIXES) or (
            request.user.is_authenticated
            and "public" not in _directives(response.get("Cache-Control", ""))
        ):
            del response["Cache-Control"]
            del response["Expires"]
            add_never_cache_headers(response)
        return response
