"""Benchmarks and the data generator behind them (`make bench`, never part of `make test`)."""
