"""Tests of the HTTP API, one module per router, against the real server."""
