"""The per-user log: written by reader.* loggers, rotated at start once it has grown too big."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.app import LOG_MAX_BYTES, LOG_NAME, setup_logging


@pytest.fixture
def reader_logger() -> Iterator[logging.Logger]:
    logger = logging.getLogger("reader")
    handlers, level = list(logger.handlers), logger.level
    yield logger
    for handler in logger.handlers:
        if handler not in handlers:
            handler.close()
    logger.handlers, logger.level = handlers, level


def test_messages_go_to_the_log_in_the_per_user_folder(
    reader_logger: logging.Logger, tmp_path: Path
) -> None:
    log_dir = setup_logging()
    assert log_dir is not None
    assert tmp_path in log_dir.parents  # under the test's XDG folders, never $HOME
    logging.getLogger("reader.test").warning("a line to find")
    for handler in reader_logger.handlers:
        handler.flush()
    assert "WARNING reader.test: a line to find" in (log_dir / LOG_NAME).read_text("utf-8")


def test_a_log_past_the_limit_is_rotated_at_start(reader_logger: logging.Logger) -> None:
    first = setup_logging()
    assert first is not None
    for handler in list(reader_logger.handlers):
        reader_logger.removeHandler(handler)
        handler.close()
    log = first / LOG_NAME
    log.write_text("new\n" * (LOG_MAX_BYTES // 4 + 1), encoding="utf-8")
    (first / f"{LOG_NAME}.1").write_text("older\n", encoding="utf-8")
    (first / f"{LOG_NAME}.2").write_text("oldest\n", encoding="utf-8")
    assert setup_logging() == first
    assert (first / f"{LOG_NAME}.1").read_text("utf-8").startswith("new\n")
    assert (first / f"{LOG_NAME}.2").read_text("utf-8") == "older\n"  # the oldest is dropped
    assert log.stat().st_size == 0  # a fresh log


def test_a_small_log_is_kept_and_appended_to(reader_logger: logging.Logger) -> None:
    log_dir = setup_logging()
    assert log_dir is not None
    (log_dir / LOG_NAME).write_text("earlier session\n", encoding="utf-8")
    for handler in list(reader_logger.handlers):
        reader_logger.removeHandler(handler)
        handler.close()
    setup_logging()
    logging.getLogger("reader.test").warning("this session")
    for handler in reader_logger.handlers:
        handler.flush()
    text = (log_dir / LOG_NAME).read_text("utf-8")
    assert text.startswith("earlier session\n")
    assert "this session" in text
    assert not (log_dir / f"{LOG_NAME}.1").exists()
