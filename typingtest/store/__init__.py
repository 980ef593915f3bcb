"""typingtest.store."""
