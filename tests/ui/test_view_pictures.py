"""The view decodes pictures in every format a page may carry, named by their bytes or guessed."""

from __future__ import annotations

import base64

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QUrl
from PySide6.QtGui import QColor, QImage, QTextDocument
from PySide6.QtWidgets import QApplication

from reader.core.pictures import picture_type
from reader.ui.article_view import ArticleView

# Qt writes no GIF: a 1 x 1 red one, by hand (palette red and white, the pixel is red).
RED_GIF = base64.b64decode("R0lGODlhAQABAIABAP8AAP///ywAAAAAAQABAAACAkQBADs=")


def encoded(fmt: str) -> bytes:
    """A 7 x 5 picture, its left half red, written by Qt in ``fmt`` (GIF: RED_GIF)."""
    if fmt == "GIF":
        return RED_GIF
    image = QImage(7, 5, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    for x in range(4):
        for y in range(5):
            image.setPixelColor(x, y, QColor("red"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, fmt)
    return bytes(data.data())


@pytest.mark.parametrize(
    ("fmt", "named"),
    [("PNG", "png"), ("JPEG", "jpg"), ("GIF", "gif"), ("WEBP", "webp"), ("BMP", None)],
)
def test_a_data_url_picture_is_decoded(qapp: QApplication, fmt: str, named: str | None) -> None:
    data = encoded(fmt)
    known = picture_type(data)
    assert (known[1] if known else None) == named  # BMP is not named: Qt guesses it
    view = ArticleView()
    url = QUrl(f"data:image/{fmt.lower()};base64,{base64.b64encode(data).decode()}")
    image = view.loadResource(int(QTextDocument.ResourceType.ImageResource.value), url)
    assert isinstance(image, QImage)
    assert (image.width(), image.height()) == ((1, 1) if fmt == "GIF" else (7, 5))
    red = image.pixelColor(0, 0)
    assert red.red() > 200
    assert red.green() < 80


def test_bytes_that_only_start_like_a_picture_give_an_empty_image(qapp: QApplication) -> None:
    view = ArticleView()
    junk = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"not a picture" * 10).decode()
    kind = int(QTextDocument.ResourceType.ImageResource.value)
    image = view.loadResource(kind, QUrl(f"data:image/png;base64,{junk}"))
    assert isinstance(image, QImage)
    assert image.isNull()
