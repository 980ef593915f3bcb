"""typingtest.formats."""
