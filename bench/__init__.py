"""The benchmarks of issue 7 (`make bench`); see bench/README.md."""
