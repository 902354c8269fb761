"""Decoding: one generated function per model, and the entry points ``decode``, ``decode_list`` and ``from_dict``.

Decoding a page is the library's hot loop, so each model gets one function, generated when it is first decoded
(see ``_Generator``). It reads the record's values into locals, checks each one's usual JSON type with
straight-line code, converts only what needs converting (datetimes, dates, decimals, enums, nested models) and
gives every other value to the field's conversion in ``_hooks``. A value of no documented form never costs the
record: the attribute is None and the value goes to ``unparsed`` (``strict``: the record is refused, naming the
field). Only a record that is not an object, or that lacks a required field, is refused in both modes.

Reading is most of a record's cost, and a model's records come in few key orders (which fields a serializer
sends, in its order). A record with the keys of one of the decoder's "primary" orders is read with one
``itemgetter`` call by key (whatever their order: the instance dict keeps the record's, and the model keeps the key
set; a model with renamed fields, whose dict does not, reads an exact primary order with one unpack of its values);
in one of a few other orders it remembers (``_Layouts``: data, not code) with one ``itemgetter`` call over its
values; in any other with one ``dict.get`` per field. The primary orders are the first record's and
up to ``PRIMARIES - 1`` remembered orders that keep coming (two endpoints, or a webhook and a list, sending one
model in different orders): such an order is promoted by rewriting the decoder's code in place, at most a few
times per model, never per key set. The same code follows either way, and a record whose key set is new costs
little more (benchmarks: a page where every record has a key set of its own costs 0.8-1.2x a page of identical
ones).

The instance's ``__dict__`` is the record with the converted values written over it: the record itself when it is
this library's alone (a body it parsed, ``own``), a copy otherwise; the fields the record leaves out read their
defaults from the class (installed by ``@model()``). ``_raw`` keeps the key order and the values the model did not
keep as received, from which ``to_dict`` rebuilds the payload (see ``_wire``).
"""

from __future__ import annotations

import datetime as dt
import decimal
import logging
import threading
import types
from collections.abc import Callable, Mapping
from operator import itemgetter
from typing import Any, Protocol, TypeVar, Union, get_args, get_origin

import attrs

from ..errors import ResponseDecodeError
from . import _hooks as hooks
from ._base import REGISTRY, lazy_default
from ._enums import OrderStatus, Period
from ._hooks import Refused
from ._wire import ATOMS, EMPTY_ARRAY, ModelsReceived, copy_json, is_tracked, not_a_model

__all__ = ["decode", "decode_list", "decode_list_owned", "decode_owned", "decoder_for", "from_dict"]

T = TypeVar("T")

# The key orders a decoder reads with one unpack: the first record's and the remembered orders promoted later.
PRIMARIES = 4


class Decoder(Protocol):
    """A generated decoder: record -> model; raises Refused. ``copy``: the record is the caller's, and the model
    gets its own copy of every container in it; ``own``: the record is this library's alone (a body it parsed), and
    becomes the model's ``__dict__`` (otherwise that is a copy of it). ``many``: records -> models, the same code in
    a loop (a refused record's place in ``Refused.place``)."""

    many: _Many

    def __call__(self, record: Any, strict: bool, copy: bool = False, own: bool = False) -> Any: ...


class _Many(Protocol):
    def __call__(self, records: list[Any], strict: bool, own: bool = False) -> list[Any]: ...


logger = logging.getLogger("ordergroove")


class _Missing:
    """A field the record leaves out (None would be a field sent as null)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<missing>"


MISSING: Any = _Missing()


@attrs.frozen
class Kind:
    """How the decoder reads one kind of field.

    ``test``: an expression over ``v``, true for the usual wire value; ``convert``: the attribute for such a value
    (None: the value itself). Any other value goes to ``conversion``, which returns the attribute or raises.
    """

    test: str | None
    convert: str | None
    conversion: hooks.Conversion
    holds_containers: bool = False  # whether a documented form is a JSON object or array
    # Whether the attribute may differ from the value received (a conversion): the model then keeps that value for
    # to_dict (see _wire.wire_payload). False: the attribute is the value itself, whenever the inline test takes it.
    converts: bool = True
    # Another usual form, read inline too: (test, convert); an exception there sends the value to ``conversion``.
    # (For a kind whose usual value is kept as it is, ``convert`` must not raise: the test admits only what it reads.)
    second: tuple[str, str] | None = None
    # A list of nested models (``nested``): from_dict decodes each from the caller's object, copying it there, and
    # keeps the models as the value received (see _wire.ModelsReceived) instead of a copy of the caller's list.
    models: bool = False


_ANY = Kind(None, None, lambda value, strict: value, holds_containers=True, converts=False)
_MAPPING = Mapping[str, Any]
# The field types the decoder reads (None left out of unions), and how.
_SCALARS: list[tuple[set[Any], Kind]] = [
    ({str}, Kind("type(v) is str", None, hooks.to_str, converts=False)),
    # A code sent as "4", as some endpoints do, is read inline (the "4" kept for to_dict); " 4", "-4" and the like by
    # the conversion. (The test admits what ``to_int`` reads to the same int: ASCII digits, at most 20.)
    (
        {int},
        Kind(
            "type(v) is int",
            None,
            hooks.to_int,
            converts=False,
            second=("type(v) is str and v.isdigit() and v.isascii() and len(v) <= 20", "int(v)"),
        ),
    ),
    ({bool}, Kind("type(v) is bool", None, hooks.to_bool, converts=False)),
    ({decimal.Decimal}, Kind("type(v) is str and (x := Decimal(v)).is_finite()", "x", hooks.to_decimal)),
    ({dt.datetime}, Kind("type(v) is str", "datetime_from(v)", hooks.to_datetime)),
    ({dt.date}, Kind("type(v) is str", "date_from(v)", hooks.to_date)),
    ({Period, int}, Kind("type(v) is int", "PERIODS.get(v, v)", hooks.to_period)),
    ({OrderStatus, int}, Kind("type(v) is int", "STATUSES.get(v, v)", hooks.to_order_status)),
    ({int, str}, Kind("type(v) is str or type(v) is int", None, hooks.to_int_or_str, converts=False)),
    ({dt.datetime, str}, Kind("type(v) is str", "datetime_from(v)", hooks.to_datetime_or_text)),
    ({_MAPPING}, Kind("type(v) is dict", None, hooks.to_mapping, holds_containers=True, converts=False)),
    # A string holding JSON: parsed once to tell JSON from text (the parser raises on text, which the conversion
    # then keeps as a plain str), kept as the string; a string already read is found in JSON_TEXTS (see hooks).
    (
        {_MAPPING, str},
        Kind(
            "type(v) is dict",
            "v",
            hooks.to_json_or_text,
            holds_containers=True,
            second=("type(v) is str", "JSON_TEXTS.get(v) or json_text(v)"),
        ),
    ),
    ({list[_MAPPING]}, Kind(None, None, hooks.to_mappings, holds_containers=True)),
]


def _kind(tp: Any) -> tuple[Kind, bool]:
    """The kind of a field's type, and whether it takes None."""
    if tp is Any:
        return _ANY, True
    members = list(get_args(tp)) if get_origin(tp) in (Union, types.UnionType) else [tp]
    nullable = type(None) in members
    members = [member for member in members if member is not type(None)]
    for types_, kind in _SCALARS:
        if set(members) == types_:
            return kind, nullable
    models = [m for m in members if m in REGISTRY]
    lists = [get_args(m)[0] for m in members if get_origin(m) is list and get_args(m)[0] in REGISTRY]
    if members == models and len(models) == 1:  # a nested model
        return Kind(None, None, hooks.to_model(decoder_for(models[0])), holds_containers=True), nullable
    others = [m for m in members if get_origin(m) is not list]
    if len(lists) == 1 and len(others) == len(members) - 1 and set(others) <= {str}:
        decode = decoder_for(lists[0])
        convert = "[nested(e, strict) for e in v] if v else []"  # ``nested``: the model's decoder, bound per field
        # A list of models; with str, also the legacy comma-separated product ids (bundles' components).
        conversion = hooks.to_components(decode) if str in members else hooks.to_models(decode)
        return Kind("type(v) is list", convert, conversion, holds_containers=True, models=True), nullable
    raise TypeError(f"the decoder does not read fields of type {tp!r}")


@attrs.frozen
class _Field:
    name: str  # the attribute
    wire: str  # the key in the record
    kind: Kind
    nullable: bool
    required: bool
    default: Callable[[], Any]  # the value when the record leaves the field out (not required)
    absent: Any  # what reading the field gives when it is left out: None, or MISSING to tell it apart
    # An empty list or dict by default, which the class makes when first read (see _base._OwnDefault): a record
    # leaving the field out or sending it empty gives the instance nothing there.
    lazy: type[Any] | None = None

    @property
    def kept(self) -> bool:
        """Whether the model keeps the value received apart from the attribute (see _Received)."""
        return self.kind.converts or self.lazy is not None


_DECODERS: dict[type[Any], Decoder] = {}
_lock = threading.RLock()  # re-entrant: generating a model's decoder generates its nested models' first


def decoder_for(cls: type[Any], sample: Any = None) -> Decoder:
    """The decoder of a registered model, generated on its first use (``sample``: the record it is first used on,
    whose key order it then reads fastest)."""
    try:
        return _DECODERS[cls]
    except KeyError:
        pass
    if cls not in REGISTRY:
        raise TypeError(not_a_model(cls))
    with _lock:
        if cls not in _DECODERS:
            _DECODERS[cls] = _Generator(cls, sample).build()
        return _DECODERS[cls]


class _Generator:
    """Writes a model's decoder; ``print(_Generator(og.Subscription).source())`` shows it. In order, for a record
    ``d``: every field's value into a local ``v0`` ... (``_read``); ``m``, the new instance's ``__dict__``: the record
    itself when it is this library's alone (``own``), else a copy of it, less the unknown keys, which go to
    ``extra``; then one block per field (``_field``), for example::

        # price
        if v13 is not None:
            try:
                m['price'] = (x) if (type(v13) is str and (x := Decimal(v13)).is_finite()) else conversion13(...)
            except Exception:
                m['price'], bad = slow(13, v13, bad, strict, copy)

    and last ``unparsed`` and ``_raw`` into ``m``: the key order and the values received of the fields it converted
    (see ``_wire``), from which ``to_dict`` rebuilds the payload.
    """

    def __init__(self, cls: type[Any], sample: Any = None) -> None:
        attrs.resolve_types(cls)
        self.cls = cls
        renames = REGISTRY[cls]
        names = {field.name for field in attrs.fields(cls)}
        self.has = {name: name in names for name in ("extra", "unparsed", "_raw")}
        self.fields: list[_Field] = []
        for field in attrs.fields(cls):
            if not field.init or field.name in ("extra", "unparsed", "_raw"):
                continue
            try:
                kind, nullable = _kind(field.type)
            except TypeError as exc:
                raise TypeError(f"{cls.__name__}.{field.name}: {exc}") from None
            required = field.default is attrs.NOTHING
            if isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
                default = field.default.factory
            else:
                default = _constant(None if required else field.default)
            nullable = nullable or field.default is None
            absent = None if field.default is None else MISSING
            wire = renames.get(field.name, field.name)
            lazy = default().__class__ if lazy_default(field) and wire == field.name else None
            self.fields.append(_Field(field.name, wire, kind, nullable, required, default, absent, lazy))
        # The first record's key order, when it has no unknown keys: a record in that order (nearly every record of
        # an endpoint) is read with one unpack of its values into the fields' locals. (The fields are still checked
        # in their declared order, so that strict mode names the same field whatever record came first.)
        wires = {field.wire: field for field in self.fields}
        # A model without renamed fields reads a primary order's records by key, whatever their order: a record's
        # order is then its instance dict's own, kept by the decoder (values replaced in place), and what it keeps is
        # the key set. A renamed field moves in that dict, so such a model's primaries are exact key orders.
        self.by_key_set = all(field.wire == field.name for field in self.fields)
        self.primaries: list[list[str]] = []
        if isinstance(sample, dict) and sample and all(key in wires for key in sample):
            self.primaries.append(list(sample))
        self.built: Decoder | None = None
        self.env: dict[str, Any] = {
            "cls": cls,
            "new": object.__new__,
            "set_dict": _dict_setter(cls),
            "as_record": _as_record,
            "LAYOUTS": _Layouts(self.fields, self.promote),
            "KEYS": tuple(field.wire for field in self.fields),
            "KNOWN": frozenset(wires),
            "MISSING": MISSING,
            "copy_json": copy_json,
            "is_tracked": is_tracked,
            "ATOMS": ATOMS,
            "EMPTY_ARRAY": EMPTY_ARRAY,
            "ModelsReceived": ModelsReceived,
            "split_unknown": _split_unknown,
            "slow": _slow(cls, self.fields),
            "settle": _settle,
            "Refused": Refused,
            "Decimal": decimal.Decimal,
            "JSON_TEXTS": hooks.JSON_TEXTS,
            "json_text": hooks.json_text,
            "datetime_from": dt.datetime.fromisoformat,
            "date_from": dt.date.fromisoformat,
            "PERIODS": {int(p): p for p in Period},
            "STATUSES": {int(s): s for s in OrderStatus},
        }
        for index, field in enumerate(self.fields):
            self.env[f"default{index}"] = field.default
            self.env[f"conversion{index}"] = field.kind.conversion
            nested = _nested(cls, field.name)
            if nested:
                self.env[f"nested{index}"] = decoder_for(nested[0])
        self.env["KEPT_NAMES"] = tuple(field.wire for field in self.fields if field.kept)

    def source(self) -> str:
        """Two functions with one body: ``decode`` (a record) and ``decode_many`` (a page: no call per record)."""
        body = ["    if type(d) is not dict:", "        d = as_record(d)"]
        body += self._read()
        body += ["    m = d if own else d.copy()", "    bad = None", "    others = None"]
        # Unknown fields only: a model without any makes its empty ``extra`` when it is first read (see _base).
        split = "split_unknown(keys, m, KNOWN, copy)"
        if self.has["extra"]:
            body += ["    if not clean:", f"        m['extra'] = extra = {split}", "        others = {**extra}"]
        else:
            body += ["    if not clean:", f"        others = {split}"]
        for index, field in enumerate(self.fields):
            body += self._field(index, field, self.by_key_set)
        if self.has["unparsed"] or self.has["_raw"]:
            body += ["    if bad is not None:", f"        others = settle(bad, others, m, {self.has['unparsed']})"]
        if self.has["_raw"]:
            kept = "".join(f", v{index}" for index, field in enumerate(self.fields) if field.kept)
            if kept:
                body.append(f"    m['_raw'] = (keys, others, KEPT_NAMES{kept})")
            else:  # (the key order alone when there is nothing else: one object less per record)
                body.append("    m['_raw'] = keys if others is None else (keys, others, ())")
        body += ["    obj = new(cls)", "    set_dict(obj, m)"]
        one = ["def decode(d, strict, copy=False, own=False):", *body, "    return obj"]
        many = [
            "def decode_many(items, strict, own=False):",
            "    copy = False",
            "    decoded = []",
            "    append = decoded.append",
            "    try:",
            "        for d in items:",
            *(f"        {line}" for line in body),
            "            append(obj)",
            "    except Refused as refused:",
            "        refused.place = len(decoded)  # (an owned record before it is a model's now: not read again)",
            "        raise",
            "    return decoded",
        ]
        return "\n".join([*one, "", "", *many])

    def build(self) -> Decoder:
        env = self.env
        for index, keys in enumerate(self.primaries):
            if not self.by_key_set:
                env[f"PRIMARY{index}"] = keys
                continue
            env[f"KEY_SET{index}"] = frozenset(keys)
            env[f"LENGTH{index}"] = len(keys)
            # Its fields' values, in the order of the fields (an itemgetter of one key gives the value itself). The
            # keys are the record's own objects: the parser gives the same ones to every record (orjson caches
            # them), and a lookup finding the very object compares no characters.
            same = {key: key for key in keys}
            env[f"GET{index}"] = itemgetter(*(same[field.wire] for field in self.fields if field.wire in same))
        exec(compile(self.source(), f"<ordergroove {self.cls.__name__} decoder>", "exec"), env)
        decoder: Decoder = env["decode"]
        decoder.many = env["decode_many"]
        self.built = decoder
        return decoder

    def promote(self, keys: list[str]) -> bool:
        """Read ``keys`` (a remembered order that keeps coming) with one unpack from now on: the decoder's code is
        rewritten in place (the same function objects, which parents' decoders and callers hold). False when the
        decoder has all the primary orders it may have."""
        with _lock:
            old = self.built
            if old is None or len(self.primaries) >= PRIMARIES:
                return False
            known = [set(primary) for primary in self.primaries] if self.by_key_set else self.primaries
            if keys and (set(keys) if self.by_key_set else keys) not in known:  # (an empty record: nothing to read)
                self.primaries.append(list(keys))
                new = self.build()
                # A call running the old code finishes with it; every later call runs the new one.
                old.__code__ = new.__code__  # type: ignore[attr-defined]
                old.many.__code__ = new.many.__code__  # type: ignore[attr-defined]
                self.env["decode"], self.env["decode_many"], self.built = old, old.many, old
            return len(self.primaries) < PRIMARIES

    def _read(self) -> list[str]:
        """Every field's value into its local: ``v0`` ... (a field left out: None, or MISSING where they differ);
        ``keys``: the record's key order, one list shared by every record in that order when it is a known one."""
        fields = self.fields
        locals_ = ", ".join(f"v{index}" for index in range(len(fields)))
        if self.by_key_set:
            return self._read_by_key_set(locals_)
        code = ["    keys = [*d]"]
        indent = "    "
        if self.primaries:
            local = {field.wire: f"v{index}" for index, field in enumerate(fields)}
            for number, primary in enumerate(self.primaries):
                code += [
                    f"    {'if' if number == 0 else 'elif'} keys == PRIMARY{number}:",
                    f"        {', '.join(local[key] for key in primary)}, = d.values()",
                    f"        keys = PRIMARY{number}",
                    *self._absent(primary, "        "),
                    "        clean = True",
                ]
            code += ["    else:"]
            indent = "        "
        return code + self._read_other_orders(indent, locals_)

    def _read_by_key_set(self, locals_: str) -> list[str]:
        """A record with a primary order's keys (its length, then all its keys: one C call), in whatever order, is
        read by key; ``keys`` is then that key set (see _wire.wire_payload). Any other record: its key order."""
        fields = self.fields
        if not self.primaries:
            return ["    keys = [*d]", *self._read_other_orders("    ", locals_)]
        code = ["    keys = None", "    size = len(d)"]
        for number, primary in enumerate(self.primaries):
            targets = [f"v{index}" for index, field in enumerate(fields) if field.wire in primary]
            unpack = f"{', '.join(targets)}," if len(targets) > 1 else targets[0]
            code += [
                f"    {'if' if number == 0 else 'if keys is None and'} size == LENGTH{number}:",
                "        try:",
                f"            {unpack} = GET{number}(d)",
                "        except KeyError:",
                "            pass",
                "        else:",
                f"            keys = KEY_SET{number}",
                "            clean = True",
                *self._absent(primary, "            "),
            ]
        code += ["    if keys is None:", "        keys = [*d]"]
        return code + self._read_other_orders("        ", locals_)

    def _absent(self, primary: list[str], indent: str) -> list[str]:
        """The fields a primary order leaves out: None, or MISSING where the two differ."""
        return [
            f"{indent}v{index} = {'None' if field.absent is None else 'MISSING'}"
            for index, field in enumerate(self.fields)
            if field.wire not in primary
        ]

    def _read_other_orders(self, indent: str, locals_: str) -> list[str]:
        """A record in none of the primary orders: in a remembered one, or field by field."""
        fields = self.fields
        code = [
            f"{indent}for known, read in LAYOUTS.recent:  # another key order seen before: one C call",
            f"{indent}    if known == keys:",
            f"{indent}        {locals_}, = read([*d.values(), None, MISSING])",
            f"{indent}        keys = known",
            f"{indent}        clean = True",
            f"{indent}        LAYOUTS.hits += 1",
            f"{indent}        if LAYOUTS.hits >= LAYOUTS.PROMOTE_AT:",
            f"{indent}            LAYOUTS.promote(known)",
            f"{indent}        break",
            f"{indent}else:",
            f"{indent}    {locals_}, = map(d.get, KEYS)",
            f"{indent}    clean = KNOWN.issuperset(keys)",
            f"{indent}    if clean:",
            f"{indent}        LAYOUTS.learn(keys)",
        ]
        # A field left out reads as None here, like one sent as null; where the two differ (a required field, a
        # default other than None), the record says which.
        for index, field in enumerate(fields):
            if field.absent is MISSING:
                code += [
                    f"{indent}    if v{index} is None and {field.wire!r} not in d:",
                    f"{indent}        v{index} = MISSING",
                ]
        return code

    @staticmethod
    def _field(index: int, field: _Field, keep_keys: bool = False) -> list[str]:
        """One field's block. ``copy`` (from_dict): a container received becomes the model's own copy before it is
        read (``v`` then names the copy, which is what the model keeps as received). ``keep_keys``: every key
        received stays in the instance dict, in its place (its key order is the record's, see _read_by_key_set)."""
        v, attr, kind = f"v{index}", repr(field.name), field.kind
        lines = [f"    # {field.name}"]
        if field.wire != field.name:
            lines += [f"    m.pop({field.wire!r}, None)", f"    m[{attr}] = {v}"]
        # (An object of plain values, the usual one, is copied without a call: CPython does not track such a dict.)
        own_copy = f"{v} = {v}.copy() if {v}.__class__ is dict and not is_tracked({v}) else copy_json({v})"
        branch = "if"
        if field.lazy is not None:
            # An empty list or dict: the model keeps as received one read-only empty list for all (a dict: its own).
            # Its attribute: the model's own, made when first read (the key left out), or (keep_keys) the one
            # received when the record is this library's alone, else a new one.
            lazy = field.lazy.__name__
            if keep_keys:
                own_empty = ["        if not own:", f"            m[{attr}] = {'[]' if field.lazy is list else '{}'}"]
                empty = "EMPTY_ARRAY" if field.lazy is list else "{}"
            else:
                own_empty = [f"        del m[{attr}]"]
                empty = "EMPTY_ARRAY" if field.lazy is list else f"{{}} if copy else {v}"
            lines += [
                f"    if {v} is MISSING:",
                "        pass",
                f"    elif {v}.__class__ is {lazy} and not {v}:",
                *own_empty,
                f"        {v} = {empty}",
            ]
            branch = "elif"
        elif field.absent is MISSING and not field.required:
            lines += [f"    if {v} is MISSING:", f"        m[{attr}] = default{index}()"]
            branch = "elif"
        slow = f"m[{attr}], bad = slow({index}, {v}, bad, strict, copy)"
        if kind is _ANY:
            return [
                *lines,
                f"    {branch} copy and {v}.__class__ not in ATOMS and {v} is not MISSING:",
                f"        m[{attr}] = {v} = copy_json({v})",
            ]
        if kind.test is not None and kind.convert is None:  # the usual value is kept as it is
            if kind.holds_containers:
                header = (
                    f"    {branch} {v} is not None:"
                    if field.nullable
                    else ("    else:" if branch == "elif" else "    if True:")
                )
                return [
                    *lines,
                    header,
                    f"        if copy and {v}.__class__ not in ATOMS:",
                    f"            m[{attr}] = {v} = copy_json({v})",
                    f"        if not ({_subst(kind.test, v)}):",
                    f"            {slow}",
                ]
            unless_none = f"{v} is not None and " if field.nullable else ""
            lines.append(f"    {branch} {unless_none}not ({_subst(kind.test, v)}):")
            if kind.second is None:
                return [*lines, f"        {slow}"]
            test, second = (_subst(part, v) for part in kind.second)
            lines += [f"        if {test}:", f"            m[{attr}] = {second}"]
            if not field.kept:  # (the value received joins the values kept apart, as slow() would put it)
                lines += ["            if bad is None:", "                bad = {}"]
                lines.append(f"            bad[{field.wire!r}] = {v}")
            return [*lines, "        else:", f"            {slow}"]
        if field.nullable:
            lines.append(f"    {branch} {v} is not None:")
        elif branch == "elif":
            lines.append("    else:")
        else:
            lines.append("    if True:")
        if kind.models:
            # from_dict: each object of the caller's list decoded from a copy, once (a list of anything else, or one
            # that does not decode, is copied and read as in the other modes, which say what is wrong).
            lines += [
                f"        if copy and {v}.__class__ not in ATOMS:",
                "            x = None",
                f"            if {v}.__class__ is list:",
                "                try:",
                f"                    x = [nested{index}(e, strict, True) for e in {v}]",
                "                except Exception:",
                "                    pass",
                "            if x is None:",
                f"                {own_copy}",
                "            else:",
                f"                m[{attr}] = x",
                f"                {v} = ModelsReceived(x)",
                f"        if {v}.__class__ is not ModelsReceived:",
            ]
        elif kind.holds_containers:
            lines += [f"        if copy and {v}.__class__ not in ATOMS:", f"            {own_copy}"]
        if kind.test is None:
            value = f"conversion{index}({v}, strict)"
        else:
            convert = _subst(kind.convert or "v", v).replace("nested(", f"nested{index}(")
            otherwise = f"conversion{index}({v}, strict)"
            if kind.second is not None:
                test, second = (_subst(part, v) for part in kind.second)
                otherwise = f"({second}) if ({test}) else {otherwise}"
            value = f"({convert}) if ({_subst(kind.test, v)}) else {otherwise}"
        tried = [
            "        try:",
            f"            m[{attr}] = {value}",
            "        except Exception:",
            f"            {slow}",
        ]
        return [*lines, *(f"    {line}" for line in tried)] if kind.models else [*lines, *tried]


def _subst(expression: str, local: str) -> str:
    """``expression`` over the field's local instead of ``v`` (a whole word: ``v.__class__``, ``(v)``, ``v,``)."""
    import re

    return re.sub(r"\bv\b", local, expression)


def _nested(cls: type[Any], name: str) -> list[type[Any]]:
    """The models a field holds (directly or in a list)."""
    tp = attrs.fields_dict(cls)[name].type
    members = list(get_args(tp)) if get_origin(tp) in (Union, types.UnionType) else [tp]
    found = [m for m in members if m in REGISTRY]
    found += [get_args(m)[0] for m in members if get_origin(m) is list and get_args(m)[0] in REGISTRY]
    return found


def _constant(value: Any) -> Callable[[], Any]:
    return lambda: value


def _dict_setter(cls: type[Any]) -> Callable[[Any, dict[str, Any]], None]:
    """Gives an instance of ``cls`` its ``__dict__``: the class's ``__dict__`` descriptor itself, which
    ``object.__setattr__(obj, "__dict__", m)`` looks up on every call (half the cost of a new instance)."""
    descriptor = next((vars(klass)["__dict__"] for klass in cls.__mro__ if "__dict__" in vars(klass)), None)
    if hasattr(descriptor, "__set__"):
        return descriptor.__set__  # type: ignore[union-attr,no-any-return]
    return lambda obj, value: object.__setattr__(obj, "__dict__", value)  # pragma: no cover (attrs classes have one)


def _as_record(data: Any) -> dict[str, Any]:
    if isinstance(data, Mapping):
        return dict(data)
    raise Refused(f"expected a JSON object, got {'null' if data is None else type(data).__name__}")


def _split_unknown(keys: list[str], m: dict[str, Any], known: frozenset[str], copy: bool) -> dict[str, Any]:
    """Move the keys the model does not know from ``m`` (the instance's ``__dict__``) to the returned ``extra``
    (``copy``: the record is the caller's; its containers there are copied)."""
    extra = {key: m.pop(key) for key in keys if key not in known}
    if copy:
        for key, value in extra.items():
            if value.__class__ not in ATOMS:  # copy_json gives anything but a container back as it is
                extra[key] = copy_json(value)
    return extra


class _Unread:
    """A value of no documented form, in ``bad`` (see _settle): kept in ``unparsed`` too."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


def _settle(
    bad: dict[str, Any], others: dict[str, Any] | None, m: dict[str, Any], has_unparsed: bool
) -> dict[str, Any]:
    """The values the inline code did not take (``bad``: wire name -> value received, an unread one wrapped in
    ``_Unread``): the unread ones into ``unparsed``, all of them into the values received the model keeps
    (``others``). A record whose values were all read (a code sent as "4") costs one dict, ``bad`` itself."""
    unread = {wire: value.value for wire, value in bad.items() if value.__class__ is _Unread}
    if unread:
        bad.update(unread)
        if has_unparsed:
            m["unparsed"] = unread
    if others is not None:
        others.update(bad)
        return others
    return bad


class _Layouts:
    """The key orders one model's records came in lately, each with where every field's value is in
    ``(*record.values(), None, MISSING)`` (a field the order lacks reads its absent value, None or MISSING).

    Only orders without unknown keys are remembered, at most ``SIZE``. Once full, one order in ``EVERY`` that is
    not known replaces the oldest: a new stable order (another endpoint, an API change) is soon read quickly, and a
    stream of ever-new orders costs little (reading them field by field is the decoder's other way in).
    """

    SIZE = 8
    EVERY = 256
    # Records read through a remembered order before the order then being read is made primary (see promote).
    PROMOTE_AT = 64

    def __init__(self, fields: list[_Field], promote: Callable[[list[str]], bool]) -> None:
        self.fields = fields
        self.recent: list[tuple[list[str], Callable[[list[Any]], tuple[Any, ...]]]] = []
        self.misses = 0
        self.hits = 0
        self._promote = promote

    def promote(self, keys: list[str]) -> None:
        """Records keep coming in remembered orders: the one just read (most likely one of the most frequent) is
        read with one unpack from now on; once the decoder has all its primary orders, no more counting."""
        self.hits = 0
        try:
            more = self._promote(keys)
        except Exception:  # pragma: no cover - an optimisation never costs a record: the decoder stays as it was
            more = False
        if not more:
            self.PROMOTE_AT = 1 << 62

    def learn(self, keys: list[str]) -> None:
        if len(self.recent) >= self.SIZE:
            self.misses += 1
            if self.misses % self.EVERY:
                return
        if len(self.fields) < 2:  # an itemgetter of one index gives a value, not a tuple
            return
        where = {key: index for index, key in enumerate(keys)}
        absent = {None: len(keys), MISSING: len(keys) + 1}
        read = itemgetter(*(where.get(field.wire, absent[field.absent]) for field in self.fields))
        # A new list, so that a decoder iterating the old one in another thread is undisturbed.
        self.recent = [*self.recent[-(self.SIZE - 1) :], (keys, read)]


_WARNED: set[tuple[type[Any], str]] = set()


def _slow(cls: type[Any], fields: list[_Field]) -> Callable[[int, Any, Any, bool, bool], tuple[Any, Any]]:
    """Every value the inline code does not take: a field left out, another documented form, an off-spec value.
    Each value it reads to something else, or does not read, joins ``bad`` (see _settle)."""

    def slow(index: int, value: Any, bad: dict[str, Any] | None, strict: bool, copy: bool) -> Any:
        field = fields[index]
        if value is MISSING:
            if field.required:
                raise Refused("required field missing", (field.wire,))
            return field.default(), bad
        copied = copy and value.__class__ not in ATOMS
        if copied:  # the caller's container: neither the attribute nor the value kept may be it
            value = copy_json(value)
        try:
            result = field.kind.conversion(value, strict)
        except Refused as refused:
            problem = refused.at(field.wire)
        except Exception as exc:  # a conversion's own limits (a number too long for int(), nesting too deep)
            problem = Refused(f"unreadable value ({type(exc).__name__})", (field.wire,))
        else:
            # A field the model keeps the value of (see Kind.converts) has it already, unless it was copied here.
            if copied or (not field.kept and result is not value):
                bad = {} if bad is None else bad
                bad[field.wire] = value
            return result, bad
        if strict:
            raise problem
        if (cls, field.wire) not in _WARNED:
            _WARNED.add((cls, field.wire))
            logger.warning(
                "%s.%s: %s; the record is kept, with None there and the value in .unparsed (warned once per field)",
                cls.__name__,
                problem.where(),
                problem.reason,
            )
        bad = {} if bad is None else bad
        bad[field.wire] = _Unread(value)
        return None, bad

    return slow


# -- the entry points ------------------------------------------------------------------------------------------


def _message(cls: type[Any], refused: Refused) -> str:
    where = refused.where()
    return f"{cls.__name__} payload does not decode: {where + ': ' if where else ''}{refused.reason}"


def decode(cls: type[T], data: Any, *, strict: bool = False) -> T:
    """Decode a wire payload into ``cls``. Raises ``ResponseDecodeError`` for a payload that is not an object, that
    lacks a required field, or (``strict``) that holds a value of no documented form. The payload is not changed;
    the model shares its lists and objects (``from_dict`` copies them)."""
    return _decode_one(cls, data, strict, False)


def decode_owned(cls: type[T], data: Any, *, strict: bool = False) -> T:
    """``decode`` for a body this library parsed and keeps no other reference to: the record becomes the model's
    ``__dict__`` (one copy less). Never for a caller's payload, nor one still read after a failure: a record that
    does not decode may be left half changed."""
    return _decode_one(cls, data, strict, True)


def _decode_one(cls: type[T], data: Any, strict: bool, own: bool) -> T:
    try:
        return (_DECODERS.get(cls) or decoder_for(cls, data))(data, strict, False, own)  # type: ignore[no-any-return]
    except Refused as refused:
        raise ResponseDecodeError(_message(cls, refused)) from None
    except RecursionError:
        raise ResponseDecodeError(f"{cls.__name__} payload does not decode: nested too deeply") from None


def decode_list(cls: type[T], items: Any, *, strict: bool = False) -> list[T]:
    """Decode a JSON list of ``cls``; a record that does not decode is named by its place (``record 2 of 3``). The
    records are not changed (as for ``decode``)."""
    return _decode_many(cls, items, strict, False)


def decode_list_owned(cls: type[T], items: Any, *, strict: bool = False) -> list[T]:
    """``decode_list`` for records this library parsed and keeps no other reference to (see ``decode_owned``)."""
    return _decode_many(cls, items, strict, True)


def _decode_many(cls: type[T], items: Any, strict: bool, own: bool) -> list[T]:
    if not isinstance(items, list):
        raise ResponseDecodeError(f"expected a JSON list of {cls.__name__}, got {type(items).__name__}")
    decoder = decoder_for(cls, items[0] if items else None)
    try:
        return decoder.many(items, strict, own)
    except Refused as refused:
        place = getattr(refused, "place", 0) + 1
        raise ResponseDecodeError(f"record {place} of {len(items)}: {_message(cls, refused)}") from None
    except RecursionError:
        raise ResponseDecodeError(f"a list of {cls.__name__} does not decode: nested too deeply") from None
    except Exception as exc:  # not the payload's fault, but still a typed error: the page was not decoded
        raise ResponseDecodeError(f"a list of {cls.__name__} could not be decoded ({type(exc).__name__})") from exc


def from_dict(cls: type[T], data: Mapping[str, Any], *, strict: bool = False) -> T:
    """Build any model of the library from a payload (the API's JSON shape), e.g. for tests, fixtures, webhooks.

    A value of no documented form leaves that attribute None and is kept in ``model.unparsed`` (a warning is
    logged once per model and field); ``strict=True`` raises ``ResponseDecodeError`` instead, naming the field.
    """
    # Copying: the model keeps what it was built from (to_dict gives it back), and its values are those of the
    # payload, so the caller changing that dict afterwards must change neither the model nor its to_dict.
    try:
        try:
            decode = _DECODERS[cls]  # (a subscript: cheaper than a method call, and this runs once per record)
        except KeyError:
            decode = decoder_for(cls, data)
        return decode(data, strict, True)  # type: ignore[no-any-return]
    except Refused as refused:
        raise ResponseDecodeError(_message(cls, refused)) from None
    except RecursionError:
        raise ResponseDecodeError(f"{cls.__name__} payload does not decode: nested too deeply") from None
