"""What a build keeps on disk: finished PDFs written atomically, the manifest, caches."""
