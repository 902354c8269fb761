"""Call descriptions, one module per resource: module-level functions that check their arguments and return a
:class:`~ordergroove._call.Call`, before any I/O. Both clients send the same calls; a resource method only hands
its call to the client. Each action's comment says whether sending it twice is harmless: the library never sends
an action twice unless the server certainly did not act (429, 423, or a connection that failed before sending)."""
