import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Every materials test stores its files in a folder of its own, removed afterwards."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


def stored_files(root) -> list[str]:
    """The files under the media root, as storage names."""
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def read_streamed(response) -> bytes:
    """The body of a streamed response, read to its end so the file gets closed."""
    return b"".join(response.streaming_content) if response.streaming else response.content
