"""HTTP side of sign-in for serve.py: the /signin and /signout routes and the session gate.

Plain Starlette (no Streamlit import). The sign-in page is server-rendered HTML with every
text from the catalogs (``auth.*``) and every value escaped; the session is a signed,
expiring token (``hub.access.issue_token_for``) in an HttpOnly, SameSite=Lax cookie.
"""
from __future__ import annotations

import html
import os
import secrets
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response

from hub import access, i18n

SIGNIN_PATH = "/signin"
SIGNOUT_PATH = "/signout"
CSRF_COOKIE = "hub_csrf"
CSRF_MAX_AGE = 2 * 3600                       # seconds a sign-in form stays usable
HTML_LANG = {"en": "en", "sq": "sq", "bcms": "sh", "mk": "mk"}

# Reachable without a session: sign-in itself, health checks, code and style assets.
OPEN_PATHS = {SIGNIN_PATH, SIGNOUT_PATH, "/_stcore/health", "/_stcore/script-health-check",
              "/_stcore/host-config", "/oauth2callback"}
OPEN_PREFIXES = ("/static/", "/app/static/", "/component/", "/_stcore/bidi-components/", "/auth/")


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


def with_lang(url: str, lang: str) -> str:
    """``url`` with ``?lang=`` set: a language picked on the sign-in form is the one the app opens in."""
    from urllib.parse import parse_qsl, urlunsplit
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "lang"]
    return urlunsplit(parts._replace(query=urlencode(query + [("lang", lang)])))


def _secure() -> bool:
    return os.environ.get("HUB_COOKIE_SECURE", "") in ("1", "true", "yes")


def _csrf_serializer():
    from itsdangerous import URLSafeTimedSerializer
    return URLSafeTimedSerializer(access.secret_key(), salt="hub-signin-csrf")


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


def _page(lang: str, next_url: str, csrf: str, *, error: str | None = None,
          notice: str | None = None, demo: list[str] | None = None) -> str:
    t = lambda key, **kw: html.escape(i18n.t(key, lang, **kw))  # noqa: E731
    e = html.escape
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
    return f"""<!doctype html>
<html lang="{HTML_LANG[lang]}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{t("auth.title")} · {t("common.app_title")}</title>
<style>
body{{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f5f7fa;color:#1b1f24;margin:0}}
main{{max-width:26rem;margin:4rem auto;background:#fff;padding:2rem;border-radius:.5rem;box-shadow:0 1px 4px #0002}}
h1{{font-size:1.4rem;margin:0 0 .25rem}} .app{{color:#555;margin:0 0 1.25rem}}
label{{display:block;margin:.9rem 0 .3rem;font-weight:600}}
input[type=text],input[type=password]{{width:100%;box-sizing:border-box;padding:.55rem;border:1px solid #b8c0cc;border-radius:.3rem;font-size:1rem}}
button{{margin-top:1.2rem;width:100%;padding:.65rem;background:#1f4e79;color:#fff;border:0;border-radius:.3rem;font-size:1rem;cursor:pointer}}
.error{{background:#fdecea;color:#8a1c14;padding:.6rem;border-radius:.3rem}}
.notice{{background:#e8f1fb;padding:.6rem;border-radius:.3rem}}
.warning{{background:#fff4e5;color:#6b4500;padding:.6rem;border-radius:.3rem;font-size:.9rem}}
nav{{margin-top:1.5rem;font-size:.9rem;color:#555}} footer{{margin-top:1rem;font-size:.8rem;color:#666}}
</style></head>
<body><main>
<h1>{t("auth.title")}</h1>
<p class="app">{t("common.app_title")}</p>
<p>{t("auth.intro")}</p>
{"".join(blocks)}
<form method="post" action="{SIGNIN_PATH}">
<input type="hidden" name="csrf" value="{e(csrf)}">
<input type="hidden" name="next" value="{e(next_url)}">
<input type="hidden" name="lang" value="{e(lang)}">
<label for="username">{t("auth.username")}</label>
<input type="text" id="username" name="username" autocomplete="username" required autofocus>
<label for="password">{t("auth.password")}</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
<button type="submit">{t("auth.submit")}</button>
</form>
<nav aria-label="{t("common.language")}">{t("common.language")}: {langs}</nav>
<footer>{t("common.credits")}</footer>
</main></body></html>"""


def _html(body: str, status: int = 200) -> HTMLResponse:
    resp = HTMLResponse(body, status_code=status)
    resp.headers["Cache-Control"] = "no-store"
    resp.headers["X-Frame-Options"] = "DENY"
    resp.headers["Referrer-Policy"] = "same-origin"
    resp.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
    return resp


async def _render(request: Request, lang: str, next_url: str, *, status: int = 200,
                  error: str | None = None, notice: str | None = None) -> Response:
    nonce = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)
    demo = await run_in_threadpool(access.demo_accounts)
    resp = _html(_page(lang, next_url, _csrf_serializer().dumps(nonce), error=error, notice=notice,
                       demo=demo), status)
    resp.set_cookie(CSRF_COOKIE, nonce, max_age=CSRF_MAX_AGE, path=SIGNIN_PATH, httponly=True,
                    samesite="strict", secure=_secure())
    return resp


# --- routes ------------------------------------------------------------------------------
async def signin(request: Request) -> Response:
    """GET: the sign-in form. POST: check it; on success set the session cookie and go to ``next``."""
    if request.method == "GET":
        lang = _lang(request)
        next_url = safe_next(request.query_params.get("next"))
        notice = i18n.t("auth.signed_out", lang) if request.query_params.get("out") else None
        resp = await _render(request, lang, next_url, notice=notice)
        token = request.cookies.get(access.SESSION_COOKIE)
        if token and await run_in_threadpool(access.viewer_for_token, token) is None:
            resp.delete_cookie(access.SESSION_COOKIE, path="/")   # expired or revoked
        return resp

    form = dict(await request.form(max_files=0, max_fields=10))
    lang = _lang(request, form)
    next_url = safe_next(form.get("next"))
    if not _csrf_ok(form.get("csrf"), request.cookies.get(CSRF_COOKIE)):
        return await _render(request, lang, next_url, status=400, error=i18n.t("auth.expired_form", lang))
    result = await run_in_threadpool(access.sign_in, str(form.get("username", "")),
                                     str(form.get("password", "")), via="web")
    if result.viewer is None:
        if result.outcome == "locked":
            minutes = int(access.LOCKOUT.total_seconds() // 60)
            return await _render(request, lang, next_url, status=429,
                                 error=i18n.t("auth.locked", lang, minutes=minutes))
        return await _render(request, lang, next_url, status=401, error=i18n.t("auth.invalid", lang))
    token = await run_in_threadpool(access.issue_token_for, result.viewer)
    resp = RedirectResponse(next_url, status_code=303)
    resp.set_cookie(access.SESSION_COOKIE, token, max_age=int(access.SESSION_LIFETIME.total_seconds()),
                    path="/", httponly=True, samesite="lax", secure=_secure())
    resp.delete_cookie(CSRF_COOKIE, path=SIGNIN_PATH)
    resp.headers["Cache-Control"] = "no-store"
    return resp


async def signout(request: Request) -> Response:
    """End the session everywhere (audited), clear the cookie, back to the sign-in form."""
    token = request.cookies.get(access.SESSION_COOKIE)
    viewer = await run_in_threadpool(access.viewer_for_token, token) if token else None
    if viewer is not None:
        await run_in_threadpool(access.sign_out, viewer.username, "web")
    lang = _lang(request)
    resp = RedirectResponse(f"{SIGNIN_PATH}?{urlencode({'lang': lang, 'out': 1})}", status_code=303)
    resp.delete_cookie(access.SESSION_COOKIE, path="/")
    return resp


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
    A cookie counts when ``hub.access.viewer_for_token`` accepts it (signature, expiry,
    user still there, password unchanged, not signed out).
    """

    def __init__(self, app, allow_oidc: bool = False):
        self.app = app
        self.allow_oidc = allow_oidc     # let Streamlit's st.login cookie through (app.py decides)

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        path = scope.get("path", "/")
        if scope["type"] == "http" and is_open(path):
            return await self.app(scope, receive, send)
        cookies = _cookies(scope)
        if self.allow_oidc and "_streamlit_user" in cookies:
            return await self.app(scope, receive, send)
        token = cookies.get(access.SESSION_COOKIE)
        if token and await run_in_threadpool(access.viewer_for_token, token) is not None:
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
