"""The product feed's inside: the model and its rules, the XML writer and reader, catalog loaders, SFTP.

The public names are in :mod:`ordergroove.feed`.
"""
