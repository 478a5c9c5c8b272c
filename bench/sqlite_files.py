"""SQLite databases of the benchmarks, with their WAL side files."""

from pathlib import Path


def remove_database(path: Path) -> None:
    """Delete a database and its -wal and -shm files: a stale WAL must not meet a new file."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
