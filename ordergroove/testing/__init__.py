"""An in-memory Ordergroove for tests: the same HTTP surface, state and business rules as the API.

``FakeOrdergroove`` holds the data and answers requests through ``fake.transport()``,
``fake.async_transport()``, ``fake.asgi_app()`` or ``serve(fake)`` (uvicorn on 127.0.0.1).
"""

from ordergroove.testing._fake import FakeOrdergroove
from ordergroove.testing._faults import DEFAULT_KINDS, Fault, FaultRule, Faults
from ordergroove.testing._http import Outcome
from ordergroove.testing._records import Headers, RecordedRequest
from ordergroove.testing._serve import serve
from ordergroove.testing._store import Clock

__all__ = [
    "DEFAULT_KINDS",
    "Clock",
    "FakeOrdergroove",
    "Fault",
    "FaultRule",
    "Faults",
    "Headers",
    "Outcome",
    "RecordedRequest",
    "serve",
]
