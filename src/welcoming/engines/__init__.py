"""Pure computation: no Django, nothing of ours. Plain data in, plain data out."""
