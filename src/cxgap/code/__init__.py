"""Code: answers as written to scale codes, decided on the distinct answers of the counts.

``choose`` picks one item's scale from its evidence, ``coding`` resolves every item (or
says why a column is not one) and codes the counts, ``items`` decides which columns are
items in every group's file. Never reads rows: it works on counts tables.
"""
