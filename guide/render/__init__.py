"""From HTML to PDF: the theme, WeasyPrint at arm's length, fonts, the fetcher, layout workers."""
