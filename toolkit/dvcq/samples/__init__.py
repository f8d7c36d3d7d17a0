"""Realistic filled submissions for demonstrations, tests and benchmarks: every form of every unit
reporting to a parent, deterministic per seed, optionally with known errors listed beside them.
"""
