"""The customer pages' cache: a rendered page is kept per session and served again until its data changes.

A customer page costs ~5-10 ms of queries and template rendering; a repeat view served from here
costs the session, the login and one cache read (bench/). What makes that safe:

- **What is cached.** Only views wrapped in ``@cached_customer_page`` (read-only customer pages),
  only GET, only a 200 that is not streamed, never for staff, never while django.contrib.messages
  are waiting to be shown, and never when the final response sets a cookie (``PageCacheMiddleware``
  checks that outside the session, CSRF and messages middleware) — except the CSRF cookie sent
  again with the very secret the request carried, which Django does on every page with a form.
- **The key** is an HMAC of the session key, the CSRF secret (the page's forms carry a token
  made from it), the user, the customer, the full path with its query string, the active
  language, today's date (what is overdue depends on it) and the release (``release()``: the code,
  templates, translations, static file names, installed packages and the settings pages show).
  A page therefore only ever goes back to the session, and the browser, it was rendered for.
- **Data versions.** A page is stored with the current global generation and its customer's
  version, and served only while both are unchanged. Anything that can change a page bumps one of
  them (``bump_customer``, ``bump_all``): the models each app registers with ``watch`` (post_save
  and post_delete, the old owner too when a row moves to another customer), the committed billing
  import, and the few bulk writes that bypass signals (they call ``bump_customer`` themselves).
  Versions are random tokens, so a version lost from the cache (evicted, culled) can never match
  an old page again.
- **Ordering.** The versions are read before the page's data (the login and its customer are
  read again), and a bump happens at once and again after the writer's commit: a page rendered
  from data older than a commit is stored under versions the commit has already replaced, and is
  never served.

``EBOK_PAGE_CACHE=0`` turns it off. Redis (REDIS_URL) or the database cache holds it.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import logging
import os
import secrets
import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save, pre_save
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac

log = logging.getLogger(__name__)

GENERATION_KEY = "ebok:pages:generation"
_CUSTOMER_KEY = "ebok:pages:customer:{}"
_PAGE_KEY = "ebok:pages:page:{}:{}"
_local = threading.local()
# A deletion (a cascade, a bulk delete in the admin) that reaches more customers than this bumps
# every page once rather than each customer's.
_FEW_CUSTOMERS = 3


def _customer_key(customer_id) -> str:
    return _CUSTOMER_KEY.format(customer_id)


# --- versions ----------------------------------------------------------------------------------


def bump_customer(customer_id) -> None:
    """Every cached page of this customer is stale (their data changed)."""
    if customer_id is not None:
        _bump(_customer_key(customer_id))


def bump_all() -> None:
    """Every cached page is stale (an import, a change every customer sees)."""
    _bump(GENERATION_KEY)


def _bump(key: str) -> None:
    _local.bumps = getattr(_local, "bumps", 0) + 1
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _new_token(key, committed=True)  # autocommit: the change is already in
        return
    stores = getattr(_local, "stores", 0)
    if _bumped_in_this_transaction(connection, key, stores):
        return
    _new_token(key, committed=False)
    transaction.on_commit(_AfterCommit(key, stores))


class _AfterCommit:
    """The bump again after the commit: a page rendered meanwhile from the data before the commit
    is stored under the token set at once, which this replaces. (On rollback, the token set at
    once merely costs a re-render.)"""

    def __init__(self, key: str, stores: int) -> None:
        self.key, self.stores, self.done = key, stores, False

    def __call__(self) -> None:
        if not self.done:
            self.done = True
            _new_token(self.key, committed=True)


def _bumped_in_this_transaction(connection, key: str, stores: int) -> bool:
    """Whether ``key`` was bumped in this transaction, and that bump stands, with no page stored
    by this thread since: another bump now would change nothing that anyone can see (other
    connections do not see the uncommitted rows) and the bump after the commit is registered.

    Reads Django's list of on_commit callbacks, which drops those of a savepoint rolled back
    (with the bump's own write to a database cache). Should the list's shape change, every
    change bumps at once: more cache writes, nothing stale.
    """
    for entry in getattr(connection, "run_on_commit", ()):
        callback = entry[1] if isinstance(entry, tuple) and len(entry) > 1 else None
        if isinstance(callback, _AfterCommit) and callback.key == key and callback.stores == stores:
            return not callback.done
    return False


def _new_token(key: str, *, committed: bool) -> None:
    try:
        cache.set(key, secrets.token_hex(8), None)
    except Exception:
        if not committed:
            raise  # the change itself fails and rolls back: no stale page
        # The change is committed but the cache is unreachable: pages of this key may be stale
        # until it is bumped again or they expire (EBOK_PAGE_CACHE_SECONDS). Raising would not
        # undo the change, and would stop the other receivers of the signal.
        log.exception("page cache: could not bump %s after a commit", key)


def _current_versions(found: dict, keys: tuple[str, str]) -> tuple[str, str] | None:
    """The tokens of ``keys`` from a get_many result; a missing one is created. None if it vanished again."""
    versions = []
    for key in keys:
        token = found.get(key)
        if token is None:
            token = secrets.token_hex(8)
            if not cache.add(key, token, None):  # someone else set it first: theirs counts
                token = cache.get(key)
                if token is None:
                    return None
        versions.append(token)
    return versions[0], versions[1]


# --- registering what changes pages ---------------------------------------------------------


def watch(
    model: type[Model], owner: str = "customer_id", *, unseen: frozenset[str] = frozenset(), deletes: bool = True
) -> None:
    """Bump the owning customer's pages whenever a ``model`` row is saved or deleted.

    ``owner`` is the path from the row to its customer's number: ``customer_id``, or across
    foreign keys, ``meter__customer_id``. A row that moves to another customer bumps the old one too.
    A save of only ``unseen`` fields (``update_fields``; shown on no cached page) bumps nothing;
    ``deletes=False`` for rows whose deletion leaves no cached page that could be served.
    """
    hops = owner.split("__")
    uid = f"ebok.pagecache:{model._meta.label}"
    # Across foreign keys, the first one's column (meter_id): rows of one parent share the owner.
    first_hop = model._meta.get_field(hops[0]).attname if len(hops) > 1 else None

    def owner_of(instance) -> object:
        value = instance
        for hop in hops:
            value = getattr(value, hop)
            if value is None:
                return None
        return value

    def before_save(sender, instance, raw=False, update_fields=None, **kwargs):
        # The owner as stored, when this save may change it (a staff edit of the customer field).
        if raw or owner == "pk" or instance._state.adding or instance.pk is None:
            return
        if update_fields is not None and hops[0] not in {f.removesuffix("_id") for f in update_fields}:
            return
        stored = sender._default_manager.filter(pk=instance.pk).values_list(owner.removesuffix("_id"), flat=True)
        instance._pagecache_owner = stored.first()

    def after_save(sender, instance, raw=False, update_fields=None, **kwargs):
        _local.deletion = None  # a later deletion, even through the same object, bumps afresh
        if update_fields is not None and unseen.issuperset(update_fields):
            return
        previous = instance.__dict__.pop("_pagecache_owner", None)
        current = _resolve(owner_of, instance)
        bump_customer(current)
        if previous is not None and previous != current:
            bump_customer(previous)

    def after_delete(sender, instance, origin=None, **kwargs):
        # A cascade sends this for every row it deletes: one look-up per parent, one bump per
        # customer, and past a few customers one bump of every page instead.
        deletion = _deletion(origin)
        if deletion.everything:
            return
        parent = (uid, getattr(instance, first_hop)) if first_hop else None
        if parent in deletion.owners:
            current = deletion.owners[parent]
        else:
            current = _resolve(owner_of, instance)
            if parent:
                deletion.owners[parent] = current
        if current not in deletion.bumped:
            if len(deletion.bumped) >= _FEW_CUSTOMERS:
                deletion.everything = True
                bump_all()
                return
            deletion.bumped.add(current)
            bump_customer(current)

    pre_save.connect(before_save, sender=model, weak=False, dispatch_uid=uid)
    post_save.connect(after_save, sender=model, weak=False, dispatch_uid=uid)
    if deletes:
        post_delete.connect(after_delete, sender=model, weak=False, dispatch_uid=uid)


def watch_all(model: type[Model]) -> None:
    """Bump every page when a ``model`` row is saved or deleted (rows every customer's pages show)."""
    uid = f"ebok.pagecache:{model._meta.label}"

    def changed(sender, **kwargs):
        bump_all()

    post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid)


def _resolve(owner_of: Callable, instance) -> object:
    """The owner of ``instance``; when it cannot be found (a parent already gone), every page is stale."""
    try:
        return owner_of(instance)
    except Exception:
        bump_all()
        return None


@dataclass
class _Deletion:
    """What one deletion (``origin``: the object or queryset deleted, with its cascade) has bumped."""

    origin: object
    bumped: set = field(default_factory=set)
    owners: dict = field(default_factory=dict)  # (model, parent id) -> customer
    everything: bool = False


def _deletion(origin) -> _Deletion:
    current = getattr(_local, "deletion", None)
    if origin is None or current is None or current.origin is not origin:
        current = _Deletion(origin)
        _local.deletion = current if origin is not None else None
    return current


def bump_on_import(sender, **kwargs) -> None:
    """billing.signals.import_committed: the import wrote with bulk statements, no per-row signals."""
    bump_all()


# --- the release ------------------------------------------------------------------------------


@functools.cache
def release() -> str:
    """A digest of everything besides data that shapes a page, so a deploy never serves old pages.

    The project's code and templates, the compiled translations, the static files' manifest
    (hashed names), the installed packages' versions, the EBOK_* settings and the few others pages
    show (time zone, languages, static URL). Computed once per process.
    """
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR).resolve()
    roots = [Path(config.path) for config in apps.get_app_configs() if Path(config.path).resolve().is_relative_to(base)]
    roots += [Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", [])]
    roots += [Path(p) for p in settings.LOCALE_PATHS]
    files = []
    for root in roots:
        for folder, dirs, names in os.walk(root):
            dirs[:] = [d for d in dirs if d not in ("__pycache__", "migrations", "tests") and not d.startswith(".")]
            files += [Path(folder) / n for n in names if n.endswith((".py", ".html", ".txt", ".mo"))]
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():
        files.append(manifest)
    for path in sorted(set(files)):
        digest.update(str(path.relative_to(base) if path.is_relative_to(base) else path).encode())
        digest.update(path.read_bytes())
    for dist in sorted(f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions()):
        digest.update(dist.encode())
    shown = ("TIME_ZONE", "LANGUAGE_CODE", "LANGUAGES", "STATIC_URL")  # formats, names and links on pages
    for name in sorted(n for n in dir(settings) if n.startswith("EBOK_") or n in shown):
        digest.update(f"{name}={getattr(settings, name)!r}".encode())
    return digest.hexdigest()[:16]


# --- the cache --------------------------------------------------------------------------------


@dataclass
class _Candidate:
    """A freshly rendered page the middleware may store once it has seen the final response."""

    key: str
    versions: tuple[str, str]
    response: HttpResponse
    headers: list[tuple[str, str]]
    content: bytes


def _page_key(request) -> str | None:
    session_key = request.session.session_key
    if not session_key:
        return None
    user = request.user
    parts = [
        release(),
        session_key,
        request.META.get("CSRF_COOKIE", ""),
        str(user.pk),
        str(user.customer_id),
        request.get_full_path(),
        translation.get_language() or "",
        timezone.localdate().isoformat(),
    ]
    digest = salted_hmac("ebok.pagecache", "\x1f".join(parts), algorithm="sha256").hexdigest()
    return _PAGE_KEY.format(user.customer_id, digest)


def _cacheable_request(request) -> bool:
    user = request.user
    return (
        settings.EBOK_PAGE_CACHE
        and request.method == "GET"
        and user.is_authenticated
        and not user.is_staff
        and getattr(user, "customer_id", None) is not None
        and not len(get_messages(request))  # counts without marking them shown
        # Without a CSRF cookie the page sets a new one, and a response that sets cookies is not stored.
        and bool(request.META.get("CSRF_COOKIE"))
    )


def cached_customer_page(view):
    """Serve the page from the cache while its data and the session are unchanged (module docstring).

    Goes innermost, below ``@customer_required``: access checks run on every request, hit or not.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        key = _page_key(request) if _cacheable_request(request) else None
        if key is None:
            response = view(request, *args, **kwargs)
            response.page_cache = "miss"
            return response
        version_keys = (GENERATION_KEY, _customer_key(request.user.customer_id))
        found = cache.get_many([key, *version_keys])
        versions = _current_versions(found, version_keys)
        page = found.get(key)
        if page is not None and versions is not None and page[0] == versions:
            headers, content = page[1], zlib.decompress(page[2])
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            response.page_cache = "hit"
            return response

        fresh = _read_login_again(request)
        bumps = getattr(_local, "bumps", 0)
        response = view(request, *args, **kwargs)
        response.page_cache = "miss"
        if (
            versions is not None
            and fresh
            and getattr(_local, "bumps", 0) == bumps  # the view itself changed data (a case read)
            and storable(request, response)
        ):
            request._page_cache_candidate = _Candidate(
                key, versions, response, list(response.items()), bytes(response.content)
            )
        return response

    return wrapper


def _read_login_again(request) -> bool:
    """Read the login and its customer again (one query): they were read before the versions, and
    a change committed in between must not end up in a page stored under the versions after it.
    False, leaving the request as it was, when the login is gone or now belongs to another customer."""
    user, customer_id = request.user, request.user.customer_id
    try:
        user.refresh_from_db(from_queryset=get_user_model()._default_manager.select_related("customer"))
    except ObjectDoesNotExist:
        return False
    if user.customer_id != customer_id:
        return False
    request.customer = user.customer
    return True


def storable(request, response) -> bool:
    """Whether a view's response may be kept: a complete 200 page that sets no cookie, with no
    message waiting to be shown and no CSP nonce (a nonce is good for one response only)."""
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not len(get_messages(request))
        and b" nonce=" not in response.content
    )


def _sets_cookies(request, response) -> bool:
    """Whether the response sets a cookie other than the CSRF cookie renewed with the request's own secret."""
    for name, morsel in response.cookies.items():
        if name == settings.CSRF_COOKIE_NAME and morsel.value and morsel.value == request.COOKIES.get(name):
            continue
        return True
    return False


class PageCacheMiddleware:
    """Stores the page ``@cached_customer_page`` rendered, once every other middleware is done with it.

    Listed before the session, CSRF and messages middleware, so it sees the cookies they set.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        candidate = request.__dict__.pop("_page_cache_candidate", None)
        if (
            candidate is not None
            and response is candidate.response
            and response.status_code == 200
            and not _sets_cookies(request, response)
        ):
            value = (candidate.versions, candidate.headers, zlib.compress(candidate.content, 1))
            _local.stores = getattr(_local, "stores", 0) + 1
            try:
                cache.set(candidate.key, value, settings.EBOK_PAGE_CACHE_SECONDS)
            except Exception:
                # The page is rendered and correct; only the next view will not be quicker.
                log.exception("page cache: could not store %s", request.path)
        return response
