"""Google API clients (Calendar v3, Meet v2, People v1, Admin Directory) over google-api-python-client."""
