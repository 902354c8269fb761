"""resources.*: the calls of ``client.resources`` (what digital plans give access to)."""

from __future__ import annotations

from .._call import Call, Params, path, segment
from .._page import Page
from ..models import Resource
from ._base import Body, list_call, retrieve_call, write_call


def list_(page_size: int) -> Call[Page[Resource]]:
    return list_call(Resource, "resources", Params().page_size(page_size).items())


def retrieve(resource_public_id: str) -> Call[Resource]:
    return retrieve_call(Resource, "resources", "resource_public_id", resource_public_id)


# Unconfirmed: the create and update bodies (name, external_resource_id, description, image_url, as the reference
# presumes); create requires the first two.
def _body(
    name: str | None, external_resource_id: str | None, description: str | None, image_url: str | None, create: bool
) -> Body:
    return (
        Body()
        .text("name", name, required=create)
        .text("external_resource_id", external_resource_id, required=create)
        .text("description", description)
        .text("image_url", image_url)
    )


def create(name: str, external_resource_id: str, description: str | None, image_url: str | None) -> Call[Resource]:
    # NOT idempotent: creates a record; never re-sent once it may have arrived.
    body = _body(name, external_resource_id, description, image_url, True)
    return write_call(Resource, "POST", "/resources/create/", body.fields, idempotent=False)


def update(
    resource_public_id: str,
    name: str | None,
    external_resource_id: str | None,
    description: str | None,
    image_url: str | None,
) -> Call[Resource]:
    # Setting fields is idempotent.
    url = path("resources", segment("resource_public_id", resource_public_id), "update")
    body = _body(name, external_resource_id, description, image_url, False)
    return write_call(Resource, "PATCH", url, body.changes(), idempotent=True)
