"""`python -m bench`: every benchmark, one after the other, against the running local stack."""

import asyncio

from bench.tick import main

asyncio.run(main())
