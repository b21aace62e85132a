"""The HTTP API (FastAPI) and the planner UI, served by one app."""
