"""Engines run a pipeline over a corpus.  Filters never know which engine runs them."""
