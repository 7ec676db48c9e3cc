"""The Qt side: main window, reading toolbar, article view, themes and fonts."""
