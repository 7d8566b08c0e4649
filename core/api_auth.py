"""Who is calling the API: an organisation's system, with a key sent as `Authorization: Bearer apo_...`."""

from dataclasses import dataclass

from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from core.models import ApiToken, Organisation, User
from core.tokens import api_token_authenticate

NO_KEY = "Send your API key in the Authorization header, as 'Authorization: Bearer apo_...'."
BAD_KEY = "This API key is not recognised or has been revoked. Ask your organisation for a new key."
CREATOR_GONE = (
    "The person who made this API key no longer has an active account, so the key no longer works. "
    "Ask your organisation for a new key."
)


@dataclass(frozen=True)
class ApiCaller:
    """An API call's token and the person it acts as."""

    token: ApiToken
    user: User

    @property
    def organisation(self) -> Organisation:
        return self.token.organisation


def acting_user(token: ApiToken) -> User:
    """The user the services and the access policy see for a call made with this token.

    Services need a `core.User`: they check `can_record_attendance(user=...)`, scope
    reads with `core.access`, and write audit events naming a person. A token acts as
    the person who made it, so the audit log says whose key did what, but only for the
    token's own organisation: `organisations` (a cached property, read once per
    request) is set to that one organisation, whatever else its maker belongs to.
    The user object is fresh for each call, so the restriction never leaks elsewhere.
    """
    user = token.created_by
    user.__dict__["organisations"] = [token.organisation]
    return user


class ApiKeyAuth(HttpBearer):
    """Bearer-key authentication; every refusal is a 401 that says what to do."""

    def __call__(self, request: HttpRequest) -> ApiCaller | None:
        if not request.headers.get(self.header):
            raise AuthenticationError(message=NO_KEY)
        caller = super().__call__(request)
        if caller is None:
            raise AuthenticationError(message=BAD_KEY)
        return caller

    def authenticate(self, request: HttpRequest, token: str) -> ApiCaller | None:
        found = api_token_authenticate(key=token.strip())
        if found is None:
            return None
        if not found.created_by.is_active:
            raise AuthenticationError(message=CREATOR_GONE)
        return ApiCaller(token=found, user=acting_user(found))
