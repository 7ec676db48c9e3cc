"""End-to-end tests: the real program as a subprocess, checked from outside."""
