"""Call descriptions, one module per resource: module-level functions that check their arguments and return a
:class:`~ordergroove._call.Call`, before any I/O. Both clients send the same calls; a resource method only hands
its call to the client. Each action says whether it is retry-safe (``idempotent=``, with a comment saying why): one
that sets a value is sent again after an ambiguous failure, as a read is; any other is never sent twice unless the
server certainly did not act (429, 423, or a connection that failed before sending)."""
