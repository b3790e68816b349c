"""One module per command of CONTRACTS.md §1, each with `run(args) -> int`."""
