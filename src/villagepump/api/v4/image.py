"""GET /image?url=: a remote picture through this server (previews/image_proxy.py), the way
Mattermost's image proxy serves the pictures of link previews to its clients."""

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from villagepump import errors
from villagepump.api.authentication import require_caller
from villagepump.api.http import runtime
from villagepump.api.image_responses import picture_response
from villagepump.previews.image_proxy import proxied_image

# An hour in the reader's browser: the cache here keeps it longer, and a picture that changed
# at its site shows its new self the next day at the latest.
_CACHE_CONTROL = "private, max-age=3600"


async def get_image(request: Request) -> Response:
    await require_caller(request)
    rt = runtime(request)
    # With previews off the server reaches out for nobody; Mattermost answers 404 when its
    # proxy is off, and the same as for any picture it cannot show.
    if not rt.settings.enable_link_previews:
        raise _no_image()
    url = request.query_params.get("url", "")
    if not url:
        raise errors.invalid_param("url")
    image = await proxied_image(url, rt.settings, rt.preview_images, rt.clock.monotonic())
    if image is None:
        raise _no_image()
    return picture_response(image.body, image.media_type, _CACHE_CONTROL)


def _no_image() -> errors.APIError:
    return errors.not_found("image", "api.image.get.app_error")


routes = [Route("/image", get_image, methods=["GET"])]
