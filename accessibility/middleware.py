from django.utils.cache import patch_vary_headers

from .preferences import COOKIE_NAME, Preferences


class DisplayPreferencesMiddleware:
    """
    Puts the visitor's display preferences and token on the request, read from
    the signed cookie alone: reading a page never queries the database.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.display_token, request.display_preferences = Preferences.from_cookie(
            request.COOKIES.get(COOKIE_NAME)
        )
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        return response
