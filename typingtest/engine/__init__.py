"""typingtest.engine."""
