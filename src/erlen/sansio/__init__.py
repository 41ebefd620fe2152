"""The protocol-independent core: no WSGI, no ASGI, no I/O."""
