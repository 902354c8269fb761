"""Pagers: iterate every record of a list, one page in memory at a time (cursor mode, following ``next``).

A pager sends nothing until it is iterated, and each iteration starts again from the first page.
"""

from ._async.pager import AsyncPager as AsyncPager
from ._page import Page as Page
from ._sync.pager import SyncPager as SyncPager

__all__ = ["AsyncPager", "Page", "SyncPager"]
