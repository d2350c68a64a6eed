"""Run one service as a process: `python -m services.<name>` calls `run(create)`."""

import asyncio
import logging
import os
from collections.abc import Callable

from shared.messaging.runtime import Runtime
from shared.settings import Settings, get_settings


def run(create: Callable[[Settings], Runtime]) -> None:
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"), format="%(asctime)s %(name)s %(message)s")
    runtime = create(get_settings())
    asyncio.run(runtime.app(os.environ.get("READY_FILE")).run())
