"""``python -m api`` runs the CLI."""

from api.cli import main

raise SystemExit(main())
