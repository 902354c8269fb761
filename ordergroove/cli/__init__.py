"""The ``ordergroove`` command: the library's reads and actions from a shell, and a demo that needs no key.

Built on the standard library's argparse; the ``cli`` extra (``pip install "ordergroove[cli]"``) brings what some
commands need: uvicorn for ``fake serve``, graphql-core for the emulator's GraphQL, tqdm for export's progress.
``main`` is the console script's entry point and ``python -m ordergroove``'s.
"""

from ._main import main

__all__ = ["main"]
