"""``python -m mapper.cli`` runs the command line."""

from mapper.cli import main

main()
