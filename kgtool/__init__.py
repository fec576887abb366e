"""kgtool: an entertainment-news knowledge graph you can query, check and look at."""

__version__ = "0.1.0"
