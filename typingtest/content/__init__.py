"""typingtest.content."""
