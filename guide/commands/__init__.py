"""The back-ends of the command line, one module per command."""
