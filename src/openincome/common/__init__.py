"""The bottom layer: helpers that know no app's models (pure functions and Django plumbing).

Every app may import it; it imports no app.
"""
