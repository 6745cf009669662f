"""Reading tips: YAML files, validated into the typed model, Markdown made into safe HTML."""
