"""Developer scripts of the labeling game, run from a checkout (not in the browser wheel).

- :mod:`.make_data`: regenerates ``data/`` from the original sources.
- :mod:`.simulate`: simulated readers; prints the learning-curve table.
"""
