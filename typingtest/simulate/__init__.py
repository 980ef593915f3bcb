"""typingtest.simulate."""
