"""The SHACL engine: shapes compiled to SPARQL (shapes, targets, constraints, checks),
the W3C report (reports), pySHACL as reference and fallback (reference), incremental
checks (increments), and the one entry point (validation)."""
