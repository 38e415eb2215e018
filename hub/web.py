"""HTTP side of serve.py: the /signin, /signout and /media routes, the session gate and the
security headers.

Plain Starlette (no Streamlit import). The sign-in page is server-rendered HTML with every
text from the catalogs (``auth.*``) and every value escaped; the session is a signed,
expiring token (``hub.tokens.issue_token_for``) in an HttpOnly, SameSite=Lax cookie.
Everything a browser's requests need is either signed with ``HUB_SECRET_KEY`` (session,
CSRF tokens, the trusted-device cookie) or kept in the store (sign-outs, password changes,
sign-in throttling, generated files), so any app process can answer any request.
"""
from __future__ import annotations

import hashlib
import secrets
import threading
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response

from hub import accounts, i18n, media, tokens
from hub.access import pages_for
from hub.escape import html_text
from hub.settings import settings

SIGNIN_PATH = "/signin"
SIGNOUT_PATH = "/signout"
MEDIA_PREFIX = "/media/"                      # Streamlit's own path for generated files; we answer it
CSRF_COOKIE = "hub_csrf"
CSRF_MAX_AGE = 2 * 3600                       # seconds a sign-in form stays usable
HTML_LANG = {"en": "en", "sq": "sq", "bcms": "sh", "mk": "mk"}

# Reachable without a session: sign-in itself, health checks, code and style assets.
OPEN_PATHS = {SIGNIN_PATH, SIGNOUT_PATH, "/_stcore/health", "/_stcore/script-health-check",
              "/_stcore/host-config", "/oauth2callback"}
OPEN_PREFIXES = ("/static/", "/app/static/", "/component/", "/_stcore/bidi-components/", "/auth/")


# Called, each in a thread of its own, with the viewer and the language the app opens in after every
# good sign-in, while the browser loads the app: serve.py adds the app's prefetch of the first page's
# heaviest reads (ui.prefetch; hub/ imports nothing of ui).
SIGNED_IN_HOOKS: list = []


# --- helpers ---------------------------------------------------------------------------
def safe_next(raw: str | None) -> str:
    """A same-site path to go to after sign-in (never another host, never the sign-in itself)."""
    if not raw or not raw.startswith("/") or raw.startswith("//") or "\\" in raw:
        return "/"
    if any(ord(ch) < 32 for ch in raw):
        return "/"
    parts = urlsplit(raw)
    if parts.scheme or parts.netloc or parts.path in (SIGNIN_PATH, SIGNOUT_PATH):
        return "/"
    return raw


def first_page(url: str, viewer) -> str:
    """``url``, with the root path (``/``) replaced by the role's first page: the app would otherwise
    open its hidden landing page and switch from there, one script run and round trip more."""
    parts = urlsplit(url)
    pages = pages_for(viewer)
    return parts._replace(path=f"/{pages[0]}").geturl() if parts.path == "/" and pages else url


def opening_lang(url: str, viewer) -> str:
    """The language the app opens ``url`` in for ``viewer``: its ``?lang=``, else the account's own
    (as ``ui.session.lang`` decides on a first run)."""
    lang = dict(parse_qsl(urlsplit(url).query)).get("lang")
    return lang if lang in i18n.LANGUAGES else i18n.normalise_language(viewer.language)


def with_lang(url: str, lang: str) -> str:
    """``url`` with ``?lang=`` set: a language picked on the sign-in form is the one the app opens in."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "lang"]
    return urlunsplit(parts._replace(query=urlencode(query + [("lang", lang)])))


def _secure() -> bool:
    return settings().cookie_secure


def _csrf_serializer(salt: str = "hub-signin-csrf"):
    from itsdangerous import URLSafeTimedSerializer
    return URLSafeTimedSerializer(tokens.secret_key(), salt=salt)


def _session_digest(session_token: str) -> str:
    return hashlib.sha256(session_token.encode()).hexdigest()[:32]


def signout_token(session_token: str) -> str:
    """The sign-out form's CSRF token: signed, recent, and bound to this browser's session."""
    return _csrf_serializer("hub-signout-csrf").dumps(_session_digest(session_token))


def _signout_csrf_ok(token: str | None, session_token: str | None) -> bool:
    from itsdangerous import BadData
    if not token or not session_token:
        return False
    try:
        bound = _csrf_serializer("hub-signout-csrf").loads(
            token, max_age=int(tokens.session_lifetime().total_seconds()))
    except (BadData, TypeError):
        return False
    return isinstance(bound, str) and secrets.compare_digest(bound, _session_digest(session_token))


def client_address(request: Request) -> str | None:
    """The browser's address. Behind a reverse proxy uvicorn takes it from X-Forwarded-For when
    the proxy is listed in FORWARDED_ALLOW_IPS (default: this machine), see README."""
    return request.client.host if request.client else None


def _csrf_ok(token: str | None, nonce: str | None) -> bool:
    """The form's token must be ours, recent, and bound to this browser's CSRF cookie."""
    from itsdangerous import BadData
    if not token or not nonce:
        return False
    try:
        return secrets.compare_digest(_csrf_serializer().loads(token, max_age=CSRF_MAX_AGE), nonce)
    except (BadData, TypeError):
        return False


def _lang(request: Request, form: dict | None = None) -> str:
    return i18n.normalise_language((form or {}).get("lang") or request.query_params.get("lang"))


_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f5f7fa;color:#1b1f24;margin:0}
main{max-width:26rem;margin:4rem auto;background:#fff;padding:2rem;border-radius:.5rem;box-shadow:0 1px 4px #0002}
h1{font-size:1.4rem;margin:0 0 .25rem} .app{color:#555;margin:0 0 1.25rem}
label{display:block;margin:.9rem 0 .3rem;font-weight:600}
input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:.55rem;border:1px solid #b8c0cc;border-radius:.3rem;font-size:1rem}
button{margin-top:1.2rem;width:100%;padding:.65rem;background:#1f4e79;color:#fff;border:0;border-radius:.3rem;font-size:1rem;cursor:pointer}
.error{background:#fdecea;color:#8a1c14;padding:.6rem;border-radius:.3rem}
.notice{background:#e8f1fb;padding:.6rem;border-radius:.3rem}
.warning{background:#fff4e5;color:#6b4500;padding:.6rem;border-radius:.3rem;font-size:.9rem}
nav{margin-top:1.5rem;font-size:.9rem;color:#555} footer{margin-top:1rem;font-size:.8rem;color:#666}
"""


def _shell(lang: str, title_key: str, body: str) -> str:
    """A whole HTML page around ``body`` (already escaped) in the sign-in look."""
    t = lambda key, **kw: html_text(i18n.t(key, lang, **kw))  # noqa: E731
    return f"""<!doctype html>
<html lang="{HTML_LANG[lang]}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{t(title_key)} · {t("common.app_title")}</title>
<style>{_STYLE}</style></head>
<body><main>
<h1>{t(title_key)}</h1>
<p class="app">{t("common.app_title")}</p>
{body}
<footer>{t("common.credits")}</footer>
</main></body></html>"""


def _page(lang: str, next_url: str, csrf: str, *, error: str | None = None,
          notice: str | None = None, demo: list[str] | None = None, chosen: bool = False) -> str:
    """The sign-in form in ``lang``; ``chosen``: the language was asked for (``?lang=``, a language
    link), so the form carries it and the app opens in it after sign-in (otherwise the account's own)."""
    t = lambda key, **kw: html_text(i18n.t(key, lang, **kw))  # noqa: E731
    e = html_text
    langs = " · ".join(
        (f"<strong>{e(name)}</strong>" if code == lang else
         f'<a href="{e(SIGNIN_PATH + "?" + urlencode({"lang": code, "next": with_lang(next_url, code)}))}">'
         f'{e(name)}</a>')
        for code, name in i18n.LANGUAGE_NAMES.items())
    blocks = []
    if notice:
        blocks.append(f'<p class="notice" role="status">{e(notice)}</p>')
    if error:
        blocks.append(f'<p class="error" role="alert">{e(error)}</p>')
    if demo:
        blocks.append(f'<p class="warning">{t("auth.demo_warning", accounts=", ".join(demo))}</p>')
    return _shell(lang, "auth.title", f"""<p>{t("auth.intro")}</p>
{"".join(blocks)}
<form method="post" action="{SIGNIN_PATH}">
<input type="hidden" name="csrf" value="{e(csrf)}">
<input type="hidden" name="next" value="{e(next_url)}">
{f'<input type="hidden" name="lang" value="{e(lang)}">' if chosen else ""}
<label for="username">{t("auth.username")}</label>
<input type="text" id="username" name="username" autocomplete="username" required autofocus>
<label for="password">{t("auth.password")}</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
<button type="submit">{t("auth.submit")}</button>
</form>
<nav aria-label="{t("common.language")}">{t("common.language")}: {langs}</nav>""")


def _signout_page(lang: str, csrf: str, name: str) -> str:
    """Asks before signing out: a link from another site must not sign anybody out."""
    t = lambda key, **kw: html_text(i18n.t(key, lang, **kw))  # noqa: E731
    e = html_text
    return _shell(lang, "auth.sign_out", f"""<p>{t("auth.sign_out_confirm", name=name)}</p>
<form method="post" action="{SIGNOUT_PATH}">
<input type="hidden" name="csrf" value="{e(csrf)}">
<input type="hidden" name="lang" value="{e(lang)}">
<button type="submit">{t("auth.sign_out")}</button>
</form>
<nav><a href="{e("/?" + urlencode({"lang": lang}))}">{t("auth.back_to_app")}</a></nav>""")


def _html(body: str, status: int = 200) -> HTMLResponse:
    resp = HTMLResponse(body, status_code=status)
    resp.headers["Cache-Control"] = "no-store"
    resp.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; "
        "frame-ancestors 'none'")
    return resp


async def _render(request: Request, lang: str, next_url: str, *, status: int = 200,
                  error: str | None = None, notice: str | None = None, chosen: bool = False) -> Response:
    nonce = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)
    demo = await run_in_threadpool(accounts.demo_accounts)
    resp = _html(_page(lang, next_url, _csrf_serializer().dumps(nonce), error=error, notice=notice,
                       demo=demo, chosen=chosen or bool(request.query_params.get("lang"))), status)
    resp.set_cookie(CSRF_COOKIE, nonce, max_age=CSRF_MAX_AGE, path=SIGNIN_PATH, httponly=True,
                    samesite="strict", secure=_secure())
    return resp


# --- routes ------------------------------------------------------------------------------
def _trusted_device(request: Request, username: str) -> tuple[str | None, list[str]]:
    """This browser's device id if its signed device cookie names ``username``, and the
    names it is trusted for (for the cookie to be renewed after a success)."""
    found = tokens.read_device_token(request.cookies.get(tokens.DEVICE_COOKIE))
    if found is None:
        return None, []
    device_id, names = found
    return (device_id if username.strip() in names else None), names


async def signin(request: Request) -> Response:
    """GET: the sign-in form. POST: check it; on success set the session cookie and go to ``next``."""
    if request.method == "GET":
        lang = _lang(request)
        next_url = safe_next(request.query_params.get("next"))
        notice = i18n.t("auth.signed_out", lang) if request.query_params.get("out") else None
        resp = await _render(request, lang, next_url, notice=notice)
        token = request.cookies.get(tokens.SESSION_COOKIE)
        if token and await run_in_threadpool(tokens.viewer_for_token, token) is None:
            resp.delete_cookie(tokens.SESSION_COOKIE, path="/")   # expired or revoked
        return resp

    form = dict(await request.form(max_files=0, max_fields=10))
    lang = _lang(request, form)
    chosen = bool(form.get("lang"))
    next_url = safe_next(form.get("next"))
    if chosen:   # the language picked on the form is the one the app opens in
        next_url = with_lang(next_url, lang)
    if not _csrf_ok(form.get("csrf"), request.cookies.get(CSRF_COOKIE)):
        return await _render(request, lang, next_url, status=400, error=i18n.t("auth.expired_form", lang),
                             chosen=chosen)
    username = str(form.get("username", ""))
    device_id, device_names = _trusted_device(request, username)
    result = await run_in_threadpool(accounts.sign_in, username, str(form.get("password", "")), via="web",
                                     address=client_address(request), trusted_device=device_id)
    if result.viewer is None:
        if result.outcome in ("locked", "throttled"):
            key = "auth.locked" if result.outcome == "locked" else "auth.throttled"
            return await _render(request, lang, next_url, status=429, chosen=chosen,
                                 error=i18n.t(key, lang, minutes=accounts.wait_minutes(result.locked_until)))
        return await _render(request, lang, next_url, status=401, error=i18n.t("auth.invalid", lang),
                             chosen=chosen)
    token = await run_in_threadpool(tokens.issue_token_for, result.viewer)
    target = first_page(next_url, result.viewer)
    for hook in SIGNED_IN_HOOKS:
        threading.Thread(target=hook, args=(result.viewer, opening_lang(target, result.viewer)),
                         name="hub-after-sign-in", daemon=True).start()
    resp = RedirectResponse(target, status_code=303)
    resp.set_cookie(tokens.SESSION_COOKIE, token, max_age=int(tokens.session_lifetime().total_seconds()),
                    path="/", httponly=True, samesite="lax", secure=_secure())
    # this browser is now trusted for this user: a lockout by strangers does not keep it out
    device = tokens.issue_device_token(device_id or secrets.token_urlsafe(16),
                                       [n for n in device_names if n != result.viewer.username]
                                       + [result.viewer.username])
    resp.set_cookie(tokens.DEVICE_COOKIE, device, max_age=int(tokens.DEVICE_LIFETIME.total_seconds()),
                    path=SIGNIN_PATH, httponly=True, samesite="strict", secure=_secure())
    resp.delete_cookie(CSRF_COOKIE, path=SIGNIN_PATH)
    resp.headers["Cache-Control"] = "no-store"
    return resp


def _signed_out(lang: str) -> Response:
    resp = RedirectResponse(f"{SIGNIN_PATH}?{urlencode({'lang': lang, 'out': 1})}", status_code=303)
    resp.delete_cookie(tokens.SESSION_COOKIE, path="/")
    resp.headers["Cache-Control"] = "no-store"
    return resp


async def signout(request: Request) -> Response:
    """GET: a confirmation form when the session is live (a link from elsewhere signs nobody
    out); with no live session, just clear the cookie (the app's own sign-out button has
    already ended the session over its websocket). POST with the form's CSRF token: end the
    session everywhere (audited), clear the cookie, back to the sign-in form."""
    token = request.cookies.get(tokens.SESSION_COOKIE)
    viewer = await run_in_threadpool(tokens.viewer_for_token, token) if token else None
    if request.method == "GET":
        lang = _lang(request)
        if viewer is None:
            return _signed_out(lang)
        name = viewer.display_name or viewer.username
        return _html(_signout_page(lang, signout_token(token), name))
    form = dict(await request.form(max_files=0, max_fields=5))
    lang = _lang(request, form)
    if viewer is None:
        return _signed_out(lang)
    if not _signout_csrf_ok(form.get("csrf"), token):
        return _html(_signout_page(lang, signout_token(token), viewer.display_name or viewer.username), 400)
    await run_in_threadpool(tokens.sign_out, viewer.username, "web")
    return _signed_out(lang)


def _disposition(name: str) -> str:
    """``attachment`` with a file name that cannot break out of the header (RFC 6266/5987)."""
    if name.isascii() and name.isprintable() and not any(c in name for c in '"\\;'):
        return f'attachment; filename="{name}"'
    return f"attachment; filename*=utf-8''{quote(name, safe='')}"


async def serve_media(request: Request) -> Response:
    """``/media/<file_id>.<ext>``: a generated file, from the store, only to the user who made it
    (``hub.media``); 404 for anyone else, as for a file that does not exist. The session gate
    answers every ``/media/`` request with this (Streamlit reserves the path for its own
    in-memory route, which would serve any file to anyone signed in, from one process only)."""
    viewer = getattr(request.state, "viewer", None)
    file_id = _media_name(request).split(".", 1)[0]
    found = await run_in_threadpool(media.fetch, file_id, viewer.username if viewer else None)
    if found is None:
        resp: Response = PlainTextResponse("Not found", status_code=404)
    else:
        resp = Response(found.content, media_type=found.mimetype or "application/octet-stream")
        if found.downloadable:
            resp.headers["Content-Disposition"] = _disposition(found.file_name or f"download{_ext(request)}")
    resp.headers["Cache-Control"] = "private, no-store"
    resp.headers["Content-Security-Policy"] = "default-src 'none'; sandbox; frame-ancestors 'none'"
    return resp


def _media_name(request: Request) -> str:
    return request.url.path[len(MEDIA_PREFIX):].split("/", 1)[0]


def _ext(request: Request) -> str:
    name = _media_name(request)
    return "." + name.split(".", 1)[1] if "." in name else ""


# --- middleware ----------------------------------------------------------------------------
def is_open(path: str) -> bool:
    if path in OPEN_PATHS or path.startswith(OPEN_PREFIXES):
        return True
    last = path.rsplit("/", 1)[-1]
    # top-level files of the app shell (favicon.png, manifest.json, ...): no data in them
    return path.count("/") == 1 and "." in last


def _is_page_load(path: str) -> bool:
    return not path.startswith(("/_stcore/", "/media/")) and "." not in path.rsplit("/", 1)[-1]


def _cookies(scope) -> dict[str, str]:
    jar = SimpleCookie()
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            try:
                jar.load(value.decode("latin-1"))
            except Exception:
                pass
    return {k: m.value for k, m in jar.items()}


class SessionGate:
    """ASGI middleware: no valid session cookie, no app.

    The websocket (``/_stcore/stream``) is closed (HTTP 403) and data endpoints answer 403;
    page loads (``/``, ``/fund?city=..``) are redirected to ``/signin?next=<that page>``.
    A cookie counts when ``hub.tokens.viewer_for_token`` accepts it (signature, expiry,
    user still there, password unchanged, not signed out). ``/media/`` requests never reach
    Streamlit: the gate answers them from the store for the viewer (``serve_media``).
    """

    def __init__(self, app, allow_oidc: bool = False, oidc_email=None):
        self.app = app
        self.allow_oidc = allow_oidc     # let Streamlit's st.login cookie through (app.py decides)
        self.oidc_email = oidc_email     # request -> the e-mail in that cookie (serve.py; for /media)

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        path = scope.get("path", "/")
        if scope["type"] == "http" and is_open(path):
            return await self.app(scope, receive, send)
        cookies = _cookies(scope)
        token = cookies.get(tokens.SESSION_COOKIE)
        viewer = await run_in_threadpool(tokens.viewer_for_token, token) if token else None
        if viewer is None and self.allow_oidc and "_streamlit_user" in cookies:
            if not (scope["type"] == "http" and path.startswith(MEDIA_PREFIX)):
                return await self.app(scope, receive, send)          # app.py maps st.user itself
            email = self.oidc_email(Request(scope, receive)) if self.oidc_email else None
            viewer = await run_in_threadpool(accounts.viewer_for_email, email)
            if viewer is None:
                return await PlainTextResponse("Not found", status_code=404)(scope, receive, send)
        if viewer is not None:
            scope.setdefault("state", {})["viewer"] = viewer
            if scope["type"] == "http" and path.startswith(MEDIA_PREFIX):
                return await (await serve_media(Request(scope, receive)))(scope, receive, send)
            return await self.app(scope, receive, send)
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        if scope.get("method") in ("GET", "HEAD") and _is_page_load(path):
            query = scope.get("query_string", b"").decode("latin-1")
            here = path + (f"?{query}" if query else "")
            lang = dict(p.split("=", 1) for p in query.split("&") if "=" in p).get("lang")
            params = {"next": here}
            if lang in i18n.LANGUAGES:
                params["lang"] = lang
            resp: Response = RedirectResponse(f"{SIGNIN_PATH}?{urlencode(params)}", status_code=303)
        else:
            resp = PlainTextResponse("Sign-in required", status_code=403)
        await resp(scope, receive, send)


# Sent with every response. Pages of the app and generated files may not be framed by
# anyone; other same-origin resources (component frames such as the map, static assets)
# may be framed by the app itself only.
COMMON_HEADERS = {
    b"x-content-type-options": b"nosniff",
    b"referrer-policy": b"same-origin",
}
NO_FRAMING = {b"x-frame-options": b"DENY", b"content-security-policy": b"frame-ancestors 'none'"}
SAME_ORIGIN_FRAMING = {b"x-frame-options": b"SAMEORIGIN", b"content-security-policy": b"frame-ancestors 'self'"}


def _framing(path: str) -> dict[bytes, bytes]:
    if path.startswith(("/component/", "/_stcore/bidi-components/", "/static/", "/app/static/")):
        return SAME_ORIGIN_FRAMING
    return NO_FRAMING


class SecurityHeaders:
    """ASGI middleware adding ``COMMON_HEADERS`` and the framing headers to every HTTP response
    (a header the route already set, such as the sign-in page's fuller CSP, is kept)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        extra = {**COMMON_HEADERS, **_framing(scope.get("path", "/"))}
        if _secure():                                # served over HTTPS only
            extra[b"strict-transport-security"] = b"max-age=31536000"

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in extra.items() if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
