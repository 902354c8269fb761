"""The parts of :mod:`ordergroove.webhooks` (signatures, events, deduplication, the ASGI receiver)."""
