"""Content: the forum Q&A and the demo, the stories minigd was written to tell.

These modules use the library; the library never uses them (the import
contract in ``pyproject.toml`` says so), so a reader of the core never meets
a scenario's numbers.

- :mod:`minigd.content.qa`: the Q&A's tables, recomputed by :class:`~minigd.Schedule`.
- :mod:`minigd.content.demo`: GD, SGD and mini-batch trained on one problem
  (``minigd demo``).
"""
