from collections.abc import AsyncIterator, Iterator

import pytest

from tests.integration.stack import servers
from tests.integration.system import SERVICES, System, running


@pytest.fixture(scope="session")
def stack() -> Iterator[tuple[str, str]]:
    with servers() as found:
        yield found


@pytest.fixture
async def system(stack: tuple[str, str], request: pytest.FixtureRequest) -> AsyncIterator[System]:
    """The services a test module names in `SERVICES_UNDER_TEST` (default: all five) in a namespace
    of their own, on the real broker and store."""
    async with running(stack, getattr(request.module, "SERVICES_UNDER_TEST", SERVICES)) as system:
        yield system
