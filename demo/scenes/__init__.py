"""Scenes the demo plays through the sandbox, one module per feature."""
