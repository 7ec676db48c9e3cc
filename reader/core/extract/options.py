"""The one options object for extraction: frozen, keyword-only, validated on creation."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_CHAR_THRESHOLD = 500  # an attempt shorter than this retries on a more relaxed pass
DEFAULT_TOP_CANDIDATES = 5  # how many top candidates vote for a common ancestor
DEFAULT_MIN_TEXT_LENGTH = (
    25  # shorter than one scored paragraph (Readability's 25 chars): no article
)


@dataclass(frozen=True, kw_only=True)
class ExtractOptions:
    """How extraction behaves; every field has a named default and is checked on creation."""

    char_threshold: int = DEFAULT_CHAR_THRESHOLD
    top_candidates: int = DEFAULT_TOP_CANDIDATES
    min_text_length: int = DEFAULT_MIN_TEXT_LENGTH
    keep_images: bool = True
    keep_tables: bool = True
    use_json_ld: bool = True

    def __post_init__(self) -> None:
        for name in ("char_threshold", "min_text_length"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(
                    f"ExtractOptions.{name} must be a whole number >= 0, not {value!r}."
                )
        if isinstance(self.top_candidates, bool) or not isinstance(self.top_candidates, int):
            raise ValueError("ExtractOptions.top_candidates must be a whole number.")
        if self.top_candidates < 1:
            raise ValueError("ExtractOptions.top_candidates must be at least 1.")
        for name in ("keep_images", "keep_tables", "use_json_ld"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"ExtractOptions.{name} must be True or False.")
