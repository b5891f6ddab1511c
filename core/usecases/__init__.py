"""One module per flow; each public coroutine is one use case. Its caller, who opened the unit
of work, commits it."""
