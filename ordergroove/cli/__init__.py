"""The ``ordergroove`` command: the library's reads and actions from a shell, and a demo that needs no key.

Built on the standard library's argparse so the command adds no dependency; ``fake serve`` needs uvicorn
(``pip install "ordergroove[cli]"``). ``main`` is the console script's entry point and ``python -m ordergroove``'s.
"""

from ._main import main

__all__ = ["main"]
