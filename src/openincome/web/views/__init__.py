"""Web views, one module per user journey."""
