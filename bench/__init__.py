"""Benchmark of person record matching (名寄せ) against known truth: ours, Splink, recordlinkage.

Run with ``python -m bench.run --sizes 10000,100000``; see bench/README.md.
"""
