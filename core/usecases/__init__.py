"""One module per flow; each public coroutine is one use case and commits its own unit of work."""
