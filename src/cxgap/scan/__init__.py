"""Count: rows to the counts table. The only stage besides :mod:`cxgap.io` that reads rows.

``plan`` gives each column its role, ``split`` splits one export by a group column,
``sniff`` reads the first rows, ``counting`` is the one streaming pass per file, and
``prepare`` runs them for every group and decides the items (with :mod:`cxgap.code`).
"""
