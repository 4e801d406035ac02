from django.http import HttpRequest

LARGE_TEXT_COOKIE = "large_text"


def accessibility(request: HttpRequest) -> dict[str, bool]:
    """Large text and high contrast (适老化), on for the whole visit once chosen."""
    return {"large_text": request.COOKIES.get(LARGE_TEXT_COOKIE) == "1"}
