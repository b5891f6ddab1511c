"""`python -m bot demo` and the sandbox county the tests drive: outside the production package,
so `bot` never imports the sandbox (only the CLI imports `demo.run`, for that one command)."""
