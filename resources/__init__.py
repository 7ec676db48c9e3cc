"""Bundled resources (icons, themes, stylesheets, sample article): read through reader.assets."""
