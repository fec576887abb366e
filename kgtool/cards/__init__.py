"""Article cards: the YAML an editor writes beside an article, compiled into the graph."""
