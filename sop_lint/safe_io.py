"""The one guarded way sop-lint reads files it did not write.

SOPs, branch files, templates and skeletons come from anyone in the organisation, so every
read of them goes through :func:`read_guarded`:

- only regular files: a device (``/dev/zero``), FIFO or socket is refused before it is read;
- a size cap, enforced on the bytes actually read (``/proc`` files report a size of 0);
- a symlink is followed only when the file it leads to stays inside the project root, so a
  link to ``/etc/passwd`` or ``/proc/self/environ`` is never read, linted or published.

A path the user named that is not a symlink is read wherever it is: the user chose it.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

DEFAULT_LIMIT = 10 * 1024 * 1024


class RefusedRead(Exception):
    """A file sop-lint will not read; the message says why, for the writer."""


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


def escapes_root(path: Path, root: Path | None) -> Path | None:
    """Where ``path`` really leads if a symlink on the way takes it outside ``root``.

    Returns None when ``path`` involves no symlink, or every symlink stays inside ``root``.
    """
    absolute = os.path.abspath(path)
    real = real_path(absolute)
    if real == absolute:
        return None  # no symlink anywhere on the way
    if root is None:
        return Path(real)
    real_root = Path(real_path(os.path.abspath(root)))
    # A symlink whose target is inside the project is fine, wherever the project itself is.
    return None if _inside(Path(real), real_root) else Path(real)


# Folder -> its real path, while a run is in remembered_folders(); None outside one.
_FOLDERS: dict[str, str] | None = None


@contextlib.contextmanager
def remembered_folders() -> Iterator[None]:
    """Within this block, each folder's real path is worked out once, not once per file
    read from it (resolving a path is an ``lstat`` per folder on the way, and a run with a
    warm cache reads thousands of files and checks few). The file itself is still looked
    at on every read. Only for the length of one run: outside the block every read
    resolves its whole path again."""
    global _FOLDERS
    if _FOLDERS is not None:
        yield  # nested: the outer block's memory serves
        return
    _FOLDERS = {}
    try:
        yield
    finally:
        _FOLDERS = None


def real_path(absolute: str) -> str:
    """``os.path.realpath`` of an absolute, normalised path (``os.path.abspath``), its
    folders remembered inside :func:`remembered_folders`."""
    folders = _FOLDERS
    if folders is None:
        return os.path.realpath(absolute)
    folder, name = os.path.split(absolute)
    real_folder = folders.get(folder)
    if real_folder is None:
        real_folder = folders[folder] = os.path.realpath(folder)
    real = os.path.join(real_folder, name) if name else real_folder
    # realpath(folder/name) is realpath(realpath(folder)/name): only the last part is new.
    return os.path.realpath(real) if name and os.path.islink(real) else real


def check_readable(path: Path, root: Path | None) -> None:
    """Raise :class:`RefusedRead` unless ``path`` may be read (without reading it)."""
    outside = escapes_root(path, root)
    if outside is not None:
        raise RefusedRead(
            "is a symlink to a file outside the project; sop-lint does not follow it "
            "(copy the file into the project instead)"
        )
    try:
        info = os.stat(path)
    except OSError as exc:
        raise RefusedRead(f"cannot read file: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise RefusedRead(f"is not a regular file ({_kind(info.st_mode)}); sop-lint reads files")


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"


def read_guarded(path: Path, root: Path | None, limit: int = DEFAULT_LIMIT) -> bytes:
    """The bytes of ``path``, or :class:`RefusedRead` saying why it was not read.

    ``root`` is the project folder symlinks must stay inside (None: follow no symlink that
    changes where the path leads). ``limit`` caps the bytes read.
    """
    check_readable(path, root)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise RefusedRead(f"cannot read file: {exc.strerror or exc}") from None
    try:
        # Checked again on the open file: the path may have been swapped since the stat.
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise RefusedRead(f"is not a regular file ({_kind(info.st_mode)})")
        if info.st_size > limit:
            raise RefusedRead(_too_big(info.st_size, limit))
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise RefusedRead(_too_big(total, limit, at_least=True))
    except OSError as exc:
        raise RefusedRead(f"cannot read file: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    return b"".join(chunks)


def read_guarded_text(path: Path, root: Path | None, limit: int = DEFAULT_LIMIT) -> str:
    """:func:`read_guarded`, decoded as UTF-8 (a leading BOM dropped)."""
    data = read_guarded(path, root, limit)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise RefusedRead(f"line {line}: not valid UTF-8 text; save it as UTF-8") from None
    return text.removeprefix("\ufeff")


def _too_big(size: int, limit: int, at_least: bool = False) -> str:
    def human(n: int) -> str:
        return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n // 1024} KB"

    more = "over " if at_least else ""
    return f"file is {more}{human(size)}; the limit is {human(limit)}"


def new_file_mode(path: Path) -> int:
    """The permission bits to write ``path`` with: its own if it exists, else those a new
    file gets under the umask (``mkstemp`` would leave a private 0600 file)."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomically(
    path: Path,
    data: bytes,
    *,
    prefix: str = ".sop-lint-",
    mode: int | None = None,
    durable: bool = False,
    before_replace: Callable[[], None] | None = None,
) -> None:
    """Replace ``path`` with ``data`` in one step: a temporary file in the same folder,
    then a rename over it, so a reader (or a run killed halfway) sees the old file or the
    new one, never half. The mode is ``mode``, else :func:`new_file_mode`. ``durable``
    flushes the data to disk before the rename (a user's own file); ``before_replace``
    runs just before the rename and may raise to leave the file as it is.

    The temporary name is short and never ends in ``.md``: one a killed run leaves
    behind must not look like an SOP, and one built from a long name could be too long.
    """
    mode = new_file_mode(path) if mode is None else mode
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        if before_replace is not None:
            before_replace()
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_report(path: Path, data: bytes) -> None:
    """Write a report the user named (``--output``, ``baseline -o``): atomically over a
    regular file, through a symlink to its target (the link stays), and straight into
    anything else that is there (``/dev/null``, ``/dev/stdout``, a FIFO a CI step reads),
    which a rename would replace."""
    try:
        info = os.stat(path)  # follows a symlink
    except FileNotFoundError:
        info = None
    except OSError:
        info = None  # a name too long, a loop: the write below says what is wrong
    if info is not None and not stat.S_ISREG(info.st_mode):
        with open(path, "wb") as handle:
            handle.write(data)
        return
    target = Path(os.path.realpath(path)) if os.path.islink(path) else path
    write_atomically(target, data)
