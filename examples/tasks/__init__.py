"""A task board with roles, a JSON API and live updates over a WebSocket (see README.md)."""
