"""The joint-dispatch mechanism itself: entities, rules and use cases, in plain Python."""
