"""A cache of whole-number counters in the database, shared by every worker, for the rate limits.

django-ratelimit needs a cache that every worker shares and that adds one atomically.
Django's own database cache is neither atomic on increment (django-ratelimit refuses it)
nor created by `migrate` (it needs `createcachetable`); a memcached or Redis server is one
more thing an area's IT would have to run. This backend keeps each counter as a row of
core.RateCount: `add` creates it only if it is missing (or expired), and `incr` adds to it
under a row lock (select_for_update on PostgreSQL; SQLite's IMMEDIATE transactions take
the write lock at their start), so two workers counting at once never lose a count.

It holds whole numbers only: it is not a general cache.
"""

import ipaddress
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.db import IntegrityError, transaction
from django.db.models import F, Q

from core.models import RateCount


def _expiry(backend_timeout: float | None) -> datetime | None:
    return None if backend_timeout is None else datetime.fromtimestamp(backend_timeout, tz=UTC)


def _live(now: datetime) -> Q:
    return Q(expires_at__isnull=True) | Q(expires_at__gt=now)


def _whole_number(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("The counter cache holds whole numbers only.")
    return value


class DatabaseCounterCache(BaseCache):
    def __init__(self, location, params):
        super().__init__(params)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        value = _whole_number(value)
        expires = _expiry(self.get_backend_timeout(timeout))
        now = datetime.now(tz=UTC)
        try:
            with transaction.atomic():
                # Expired counters are cleared as new ones are made, so the table stays small.
                RateCount.objects.filter(expires_at__lte=now).delete()
                RateCount.objects.create(key=key, count=value, expires_at=expires)
        except IntegrityError:
            return False  # another worker made it first
        return True

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        now = datetime.now(tz=UTC)
        count = RateCount.objects.filter(_live(now), key=key).values_list("count", flat=True).first()
        return default if count is None else count

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> None:
        key = self.make_and_validate_key(key, version=version)
        value = _whole_number(value)
        expires = _expiry(self.get_backend_timeout(timeout))
        RateCount.objects.update_or_create(key=key, defaults={"count": value, "expires_at": expires})

    def incr(self, key, delta=1, version=None) -> int:
        key = self.make_and_validate_key(key, version=version)
        now = datetime.now(tz=UTC)
        with transaction.atomic():
            row = RateCount.objects.select_for_update().filter(_live(now), key=key).first()
            if row is None:
                raise ValueError(f"Key '{key}' not found.")
            RateCount.objects.filter(pk=row.pk).update(count=F("count") + delta)
            return row.count + delta

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        now = datetime.now(tz=UTC)
        expires = _expiry(self.get_backend_timeout(timeout))
        return bool(RateCount.objects.filter(_live(now), key=key).update(expires_at=expires))

    def delete(self, key, version=None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        deleted, _ = RateCount.objects.filter(key=key).delete()
        return bool(deleted)

    def has_key(self, key, version=None) -> bool:
        return self.get(key, version=version) is not None

    def clear(self) -> None:
        RateCount.objects.all().delete()


def client_ip(request) -> str:
    """The address of the person sending the request, for the rate limits.

    REMOTE_ADDR, or behind a proxy the header it names in CLIENT_IP_HEADER (for example
    X-Forwarded-For, whose last address is the one the proxy itself saw). Anything that is
    not an address falls back to REMOTE_ADDR, so a made-up header cannot dodge the limit
    unless the proxy passes it on.
    """
    header = settings.CLIENT_IP_HEADER
    if header:
        value = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
        candidate = value.split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            pass
    # No address at all (a Unix socket without a proxy header): all such requests share one count.
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"  # noqa: S104 - a count key, not an address to bind
