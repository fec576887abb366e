"""kgtool over HTTP: the SPARQL 1.1 Protocol, the Graph Store Protocol and the named queries.

`app.make_app(config)` builds the Starlette app (no sockets: tests call it in-process);
`kgtool serve` (kgtool.commands.serve) runs it with uvicorn. Queries run in killable
worker processes (`executor`). Nothing here is imported by `kgtool --help`.
"""
