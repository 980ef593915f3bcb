"""typingtest.audio."""
