"""The typed forms of fields Ordergroove sends in more than one documented shape.

Each is a ``str`` subclass holding the text exactly as it arrived, so it compares, hashes, prints and serialises as
that text, while its class says which form it is. They keep no state of their own (``__slots__ = ()``), so they
pickle and copy like the strings they are.
"""

from __future__ import annotations

from typing import Any

from .._json import loads

__all__ = ["ComponentIds", "JSONText"]


class ComponentIds(str):
    """A legacy bundle's components as Ordergroove sends them: product ids separated by commas.

    ``Subscription.components`` (and ``Item.components``) hold one of these when the record carries the
    comma-separated form (``"product_id_1,product_id_2"``) instead of a list of component objects. The text is kept
    as it arrived; :attr:`product_ids` splits it.
    """

    __slots__ = ()

    @property
    def product_ids(self) -> tuple[str, ...]:
        """The product ids, in order, without surrounding spaces or empty entries."""
        return tuple(part for part in (piece.strip() for piece in self.split(",")) if part)


class JSONText(str):
    """A field sent as a string holding JSON (``extra_data``, a customer's ``experiences``), kept as that string.

    Ordergroove sends ``extra_data`` as an object on some endpoints and as a string of JSON on others: an object
    stays a mapping, a string that holds JSON is a ``JSONText``, and text that is not JSON stays a plain ``str``.
    :attr:`value` is the JSON it holds.
    """

    __slots__ = ()

    @property
    def value(self) -> Any:
        """The JSON this text holds, parsed (a new object on every access: change it freely)."""
        return loads(str(self))
