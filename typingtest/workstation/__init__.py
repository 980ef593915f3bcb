"""typingtest.workstation."""
