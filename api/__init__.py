"""The HTTP service: FastAPI routes over the roster engine, storage, jobs, feeds, access."""
