"""Allow ``python -m guide``."""

from guide.cli import main

main()
