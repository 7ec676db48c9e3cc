"""The reader's core: plain Python, no Qt. Loading, extraction, sanitising, settings, library."""
