"""Ordergroove's product feed: build it, check it, read it back, and upload it by SFTP.

The feed is a full snapshot of the catalog as UTF-8 XML, ``<MERCHANT_ID>.Products.xml`` in ``/incoming/``
on Ordergroove's SFTP host, which Ordergroove reads every 30 minutes::

    from ordergroove import feed

    products = (feed.FeedProduct(...) for row in catalog)
    with open("feed.xml", "wb") as out:
        feed.write_product_feed(products, out)
    feed.upload_product_feed("feed.xml", merchant_id="abc123", host="production",
                             username="...", password="...", host_key="ssh-ed25519 AAAA...")

Writing and reading take constant memory whatever the number of products. ``upload_product_feed`` needs the
``feed`` extra (paramiko).
"""

from ._catalog import CatalogRow, load_catalog
from ._model import (
    FeedGroup,
    FeedProduct,
    FeedRelationship,
    FeedValidationError,
    GroupType,
    ProductType,
    RelationshipName,
)
from ._sftp import FEED_DIRECTORY, FEED_HOSTS, FeedUploadError, upload_product_feed
from ._xml import read_product_feed, write_product_feed

__all__ = [
    "FEED_DIRECTORY",
    "FEED_HOSTS",
    "CatalogRow",
    "FeedGroup",
    "FeedProduct",
    "FeedRelationship",
    "FeedUploadError",
    "FeedValidationError",
    "GroupType",
    "ProductType",
    "RelationshipName",
    "load_catalog",
    "read_product_feed",
    "upload_product_feed",
    "write_product_feed",
]
