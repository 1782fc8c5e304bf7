"""analysis: Iran's finances and claims of Iranian funding to Hamas, from raw data to reports.

Data flows one way: ``analysis.fetch`` (raw) → ``analysis.clean`` (processed tables validated by
``analysis.schemas``) → ``notebooks/`` (executed by ``analysis.render``) → ``reports/``.
"""

__version__ = "0.1.0"
