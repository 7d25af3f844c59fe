"""Typed settings, read from ``VCIO_*`` environment variables (and nowhere else)."""

from pathlib import Path

import platformdirs
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("vcio-ledger", appauthor=False))


class Settings(BaseSettings):
    """Where the data lives and how hard the store may be pushed."""

    model_config = SettingsConfigDict(env_prefix="VCIO_", extra="ignore")

    database_url: str | None = Field(
        default=None, description="PostgreSQL 14+ URL; unset starts an embedded PostgreSQL.")
    data_dir: Path = Field(default_factory=default_data_dir,
                           description="Home of the embedded PostgreSQL data.")
    lock_timeout_seconds: int = Field(default=3, ge=1,
                                      description="Longest wait for the event-store write lock.")
    pool_size: int = Field(default=8, ge=1)
    database_timeout_seconds: int = Field(
        default=1, ge=1, description="Longest wait for a database connection; then HTTP 503.")
    projection_batch_size: int = Field(default=1000, ge=1)
    projection_debounce_seconds: float = Field(
        default=0.02, ge=0, description="How long the runner lets a burst of NOTIFYs settle.")
    read_wait_timeout_seconds: float = Field(default=5.0, gt=0)
    aggregate_cache_size: int = Field(default=5000, ge=0)
    projections: str = Field(
        default="all", pattern=r"^\s*(all|none|[a-z0-9_]+(\s*,\s*[a-z0-9_]+)*)\s*$",
        description="Read models whose runners this process starts: all, none, or names"
                    " separated by commas (a Kafka-fed one then runs in its own process).")

    def runs_projection(self, name: str) -> bool:
        chosen = self.projections.strip()
        return chosen == "all" or (chosen != "none" and name in
                                   {part.strip() for part in chosen.split(",")})
