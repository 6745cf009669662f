"""Guide-wide settings and the registries options are chosen from (papers, ...)."""
