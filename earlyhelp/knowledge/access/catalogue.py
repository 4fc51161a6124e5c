"""Access rules of the knowledge app's catalogue."""
