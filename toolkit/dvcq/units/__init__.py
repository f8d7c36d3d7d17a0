"""The unit registry: administrative units by era (the three-tier registry before 1 July 2025, the
two-tier one after), the non-territorial bodies a province or district declares (templates/co-quan.yaml),
and the words for the groups of units a consolidation expects. The hierarchy is data, never code.
"""
