"""Runs the demo against the deployment that `Settings` (env vars) names; exit code 1 if anything
expected did not happen, or if the broker or store cannot be reached."""

import asyncio
import logging

from aiokafka.errors import KafkaError  # type: ignore[import-untyped]
from pymongo.errors import PyMongoError
from rich.console import Console

from shared.demo.report import print_outcome
from shared.demo.scenario import run_scenario
from shared.settings import Settings


def main() -> int:
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)
    console, settings = Console(), Settings()
    try:
        outcome = asyncio.run(run_scenario(settings, console))
    except (KafkaError, PyMongoError, OSError) as error:
        console.print(f"[red]demo: cannot reach the stack[/red] (kafka {settings.kafka_bootstrap_servers}, "
                      f"mongodb {settings.mongodb_url}): {type(error).__name__}: {str(error)[:300]}", markup=True)
        console.print("start it with `make up`")
        return 1
    print_outcome(console, outcome)
    return 1 if outcome.problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
