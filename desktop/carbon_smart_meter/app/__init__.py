"""The application layer: the live session and the profiles that every entry point composes (no Qt)."""
