"""The web client: its built files (web/ → static/), served at / with an SPA fallback.

Vite names every asset after a hash of its content, so those are cached for good; index.html
is revalidated on every load so a new build reaches users at once. The Content-Security-Policy
allows scripts from this origin only: no inline script, no third party, nothing from a CDN.

The client installs as a web app: /manifest.webmanifest names it after the site, and /sw.js,
its service worker, keeps the app shell and recently read channels for offline use. The worker
must be revalidated like index.html (browsers check it for updates on every navigation, and an
immutable copy would pin users to an old client).
"""

import mimetypes
import re
from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response

from villagepump.api.http import runtime

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"

IMMUTABLE = "public, max-age=31536000, immutable"
# Files at the top of the build (favicon, manifest) keep their names, so they are revalidated.
REVALIDATE = "no-cache"

# A Host header is reflected into connect-src; anything but a plain host[:port] is not.
_HOST = re.compile(r"^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")

_NOT_BUILT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Villagepump</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family:system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem">
<h1>The web client is not built</h1>
<p>This server speaks the Mattermost API: the Mattermost mobile and desktop apps can sign in to it
now. To use it in a browser, build the web client from a source checkout with <code>make web</code>
(or <code>make run</code>), which needs Node.js 20 and npm, then restart the server.</p>
</body></html>"""


def content_security_policy(request: Request) -> str:
    connect = ["'self'"]
    host = request.headers.get("host", "")
    if _HOST.match(host):
        # 'self' covers ws: and wss: only in browsers that implement CSP level 3 fully.
        connect += [f"ws://{host}", f"wss://{host}"]
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data: blob:",
            "font-src 'self'",
            f"connect-src {' '.join(connect)}",
            "worker-src 'self'",
            "manifest-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'self'",
        ]
    )


def is_built() -> bool:
    return (STATIC_DIR / "index.html").is_file()


def index(request: Request) -> Response:
    """The app's page, for / and every client route."""
    if not is_built():
        return HTMLResponse(_NOT_BUILT, headers={"Cache-Control": REVALIDATE})
    return FileResponse(
        STATIC_DIR / "index.html",
        headers={
            "Cache-Control": REVALIDATE,
            "Content-Security-Policy": content_security_policy(request),
            "Referrer-Policy": "same-origin",
        },
    )


def _file_in(folder: Path, relative: str) -> Path | None:
    """The file `relative` names inside `folder`; None for anything else, ".." and dotfiles
    (the build stamp) included."""
    if not relative or "\\" in relative or relative.startswith(("/", ".")):
        return None
    path = (folder / relative).resolve()
    if not path.is_relative_to(folder.resolve()) or not path.is_file():
        return None
    return path


async def asset(request: Request) -> Response:
    path = _file_in(STATIC_DIR / "assets", request.path_params["path"])
    if path is None:
        raise HTTPException(404)
    headers = {"Cache-Control": IMMUTABLE}
    # The build writes a gzipped copy beside each script and style sheet (web/scripts/precompress.mjs):
    # a phone on a slow network waits for a third of the bytes.
    compressed = path.with_name(path.name + ".gz")
    if not compressed.is_file():
        return FileResponse(path, headers=headers)
    headers["Vary"] = "Accept-Encoding"
    if not _accepts_gzip(request.headers.get("accept-encoding", "")):
        return FileResponse(path, headers=headers)
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return FileResponse(compressed, media_type=media_type, headers={**headers, "Content-Encoding": "gzip"})


def _accepts_gzip(accept_encoding: str) -> bool:
    for coding in accept_encoding.split(","):
        name, _, parameters = coding.partition(";")
        if name.strip().lower() in ("gzip", "*"):
            quality = parameters.strip().removeprefix("q=").strip()
            return not quality or _positive(quality)
    return False


def _positive(quality: str) -> bool:
    try:
        return float(quality) > 0
    except ValueError:
        return False


# Matches the app's colours (web/src/styles.css) so the installed app's title bar does too.
THEME_COLOR = "#1e6b52"


def manifest(request: Request) -> Response:
    """The web app manifest: what an installed app is called and looks like."""
    name = runtime(request).settings.site_name or "Villagepump"
    icons = [
        {"src": "/icon-192.png", "sizes": "192x192", "type": "image/png", "purpose": "any"},
        {"src": "/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any"},
        {"src": "/favicon.svg", "sizes": "any", "type": "image/svg+xml"},
    ]
    body = {
        "id": "/",
        "name": name,
        "short_name": name if len(name) <= 12 else name[:12].rstrip(),
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOR,
        "icons": icons,
    }
    return JSONResponse(body, media_type="application/manifest+json", headers={"Cache-Control": REVALIDATE})


def service_worker() -> Response:
    path = STATIC_DIR / "sw.js"
    if not path.is_file():
        raise HTTPException(404)
    return FileResponse(
        path,
        media_type="text/javascript",
        headers={
            "Cache-Control": REVALIDATE,
            "Service-Worker-Allowed": "/",
            "Content-Security-Policy": "default-src 'self'",
        },
    )


async def page(request: Request) -> Response:
    """Any other GET: a top-level file of the build, or the app, whose router reads the URL."""
    relative = request.path_params["path"]
    if relative == "api" or relative.startswith("api/"):
        # The API's unknown paths keep the JSON 404 that clients parse.
        raise HTTPException(404)
    if relative == "manifest.webmanifest":
        return manifest(request)
    if relative == "sw.js":
        return service_worker()
    path = _file_in(STATIC_DIR, relative) if "/" not in relative and relative != "index.html" else None
    if path is not None:
        return FileResponse(path, headers={"Cache-Control": REVALIDATE})
    return index(request)
