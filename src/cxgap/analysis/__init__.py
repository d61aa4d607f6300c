"""Analysis: every statistic from coded counts.

``compare`` (groups and comparisons), ``headline``, ``importance`` and ``findings`` build
one result; ``build`` runs them (``analyze``, ``analyze_counts``); ``by_wave`` analyses each
wave, ``trend`` the changes between waves; ``gate`` is ``check``, ``validation`` is
``validate``.
"""
