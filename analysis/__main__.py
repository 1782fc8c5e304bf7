"""``python -m analysis``: the same CLI as the ``analysis`` console script."""

from analysis.cli import main

main()
