"""Pagers: iterate every record of a list, one page in memory at a time (cursor mode, following ``next``).

A pager sends nothing until it is iterated, and each iteration starts again from the first page.
"""

from ._async.pager import AsyncPager as AsyncPager
from ._extras import Money as Money
from ._extras import register_dataframe as register_dataframe
from ._page import Page as Page
from ._sync.pager import SyncPager as SyncPager

# register_dataframe: where an extra (ordergroove.frames) attaches a pager's to_dataframe, from its side.
__all__ = ["AsyncPager", "Money", "Page", "SyncPager", "register_dataframe"]
