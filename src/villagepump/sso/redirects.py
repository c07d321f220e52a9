"""Where a sign-in may send the browser afterwards: a path on this site, or (for a sign-in a
mobile app began) the app's own scheme. Anything else would be an open redirect, and for the
mobile flow one that carries a session token."""

import urllib.parse

from villagepump import errors


def invalid_redirect() -> errors.APIError:
    return errors.bad_request("api.invalid_redirect_url", "The redirect URL is not allowed.")


def invalid_scheme() -> errors.APIError:
    return errors.bad_request("api.invalid_custom_url_scheme", "Invalid custom URL scheme.")


def web_redirect(redirect_to: str, site_url: str = "") -> str:
    """A relative path on this site, or "" for the home page; an absolute address on the site
    URL becomes its path. Stricter than Mattermost, which accepts any URL that starts with the
    site URL as text (so https://chat.example.org.evil.example too)."""
    if not redirect_to:
        return ""
    site = urllib.parse.urlsplit(site_url) if site_url else None
    target = urllib.parse.urlsplit(redirect_to) if redirect_to.isprintable() else None
    if site is not None and target is not None and target.scheme:
        if (target.scheme.lower(), target.netloc.lower()) != (site.scheme.lower(), site.netloc.lower()):
            raise invalid_redirect()
        redirect_to = urllib.parse.urlunsplit(("", "", target.path or "/", target.query, target.fragment))
    if (
        not redirect_to.startswith("/")
        # "//host" and "/\\host" are other hosts to a browser.
        or redirect_to.startswith(("//", "/\\"))
        or not redirect_to.isprintable()
        or "\\" in redirect_to
    ):
        raise invalid_redirect()
    parts = urllib.parse.urlsplit(redirect_to)
    if parts.scheme or parts.netloc:
        raise invalid_redirect()
    return redirect_to


def mobile_redirect(redirect_to: str, schemes: list[str]) -> str:
    """The app's callback address, which must use one of NativeAppSettings.AppCustomURLSchemes
    (compared on the scheme itself, not as a text prefix)."""
    if not redirect_to or not redirect_to.isprintable() or any(c in redirect_to for c in "<>\"'` "):
        raise invalid_scheme()
    scheme, separator, _ = redirect_to.partition("://")
    allowed = {entry.lower().removesuffix("://") for entry in schemes}
    if not separator or scheme.lower() not in allowed:
        raise invalid_scheme()
    return redirect_to


def with_query(url: str, values: dict[str, str]) -> str:
    separator = "&" if "?" in url else "?"
    return url + separator + urllib.parse.urlencode(values)
