"""One module per kgtool command; each parses options, calls one core function, renders."""
