"""The exceptions of the Gladly extra. Both are :class:`~ordergroove.errors.OrdergrooveError`, defined with every
other exception of the package (and importable from :mod:`ordergroove.errors`), which needs no Starlette."""

from ordergroove.errors import GladlyAPIError, GladlyErrorItem, GladlySignatureError

__all__ = ["GladlyAPIError", "GladlyErrorItem", "GladlySignatureError"]
