"""Pictures of the relation graph: statements read from the store (statements), the
networkx graph (relations), narrowing (selection), drawing (drawing, webpage), paths
(connections), and the request a command makes (request)."""
