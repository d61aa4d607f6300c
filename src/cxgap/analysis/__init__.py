"""Analysis: every statistic from coded counts.

``compare`` (groups and comparisons), ``headline``, ``importance`` and ``findings`` build
one result; ``build`` runs them (``analyze``, ``analyze_counts``); ``by_wave`` analyses each
wave, ``trend`` the changes between waves; ``run`` is what the commands report (one wave or
all rows, with the trend and importance charts need); ``gate`` is ``check``, ``validation``
and ``pairing`` are ``validate``.
"""
