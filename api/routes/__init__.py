"""The API's routes, one module per resource; each route is one store call."""
