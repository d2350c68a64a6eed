from collections.abc import AsyncIterator, Iterator

import pytest

from tests.integration.stack import servers
from tests.integration.system import System, running


@pytest.fixture(scope="session")
def stack() -> Iterator[tuple[str, str]]:
    with servers() as found:
        yield found


@pytest.fixture
async def system(stack: tuple[str, str]) -> AsyncIterator[System]:
    """All five services in a namespace of their own, on the real broker and store."""
    async with running(stack) as system:
        yield system
