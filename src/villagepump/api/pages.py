"""Pages outside the API: the home page, and the one-time link that creates the first admin."""

import html

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from villagepump.api import webapp
from villagepump.ids import is_valid_id

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Set up Villagepump</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}
label{display:block;margin:.8rem 0 .2rem}input{width:100%;padding:.4rem;box-sizing:border-box}
button{margin-top:1rem;padding:.5rem 1rem}#result{margin-top:1rem}</style></head>
<body><h1>Create the first administrator</h1>
<form id="setup"><label for="username">Username</label><input id="username" required autocomplete="username">
<label for="email">E-mail</label><input id="email" type="email" required autocomplete="email">
<label for="password">Password (at least 8 characters)</label>
<input id="password" type="password" minlength="8" required autocomplete="new-password">
<button type="submit">Create administrator</button></form><p id="result" role="status"></p>
<script>
document.getElementById("setup").addEventListener("submit", async (event) => {
  event.preventDefault();
  const body = {username: username.value.trim().toLowerCase(), email: email.value.trim(), password: password.value};
  const response = await fetch("/api/v4/users?setup_token=__TOKEN__", {method: "POST",
    headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)});
  const reply = await response.json();
  document.getElementById("result").textContent = response.ok
    ? "Done. " + reply.username + " is a system administrator; sign in with any Mattermost client."
    : reply.message;
});
</script></body></html>"""


async def setup(request: Request) -> Response:
    token = request.path_params["token"]
    if not is_valid_id(token):
        return HTMLResponse("<p>This setup link is not valid.</p>", status_code=404)
    if webapp.is_built():
        return webapp.index(request)
    # Without the web client (a Python-only install), a page of its own does the one request.
    return HTMLResponse(
        _PAGE.replace("__TOKEN__", html.escape(token)),
        headers={
            "Content-Security-Policy": "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'"
        },
    )


async def home(request: Request) -> Response:
    # The mobile app's first request when adding a server is HEAD on this address.
    return webapp.index(request)
