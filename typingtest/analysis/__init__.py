"""typingtest.analysis."""
