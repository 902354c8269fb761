"""entitlements.*: the calls of ``client.entitlements`` (entitlements-service host, storefront scope only)."""

from __future__ import annotations

from .._call import Call, Params
from .._page import Page
from ..errors import ConfigurationError
from ..models import Entitlement
from ._base import list_at

PATH = "/entitlements/"


def list_(entitlements_url: str, has_api_key: bool, page_size: int) -> Call[Page[Entitlement]]:
    # A read. Unconfirmed: the container (a page, as the emulator answers) and the staging host.
    if has_api_key:
        raise ConfigurationError(
            "entitlements.list is for a customer's client only (storefront scope): make the client with "
            "auth=og.auth.StorefrontAuth(...), not an API key"
        )
    return list_at(Entitlement, PATH, Params().page_size(page_size).items(), url=entitlements_url + PATH)
