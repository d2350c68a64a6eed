"""The document store on the real server: large batches, revision conflicts, indexed finds by `_id`."""

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from pydantic import BaseModel
from pymongo import AsyncMongoClient
from pymongo.asynchronous.collection import AsyncCollection

from shared.store.documents import WRITES_PER_COMMAND, Conflict, Documents, Stored

COUNT = 4 * WRITES_PER_COMMAND + 70  # beyond FerretDB's default pool of 50 in one call


class Counter(BaseModel):
    value: int


@pytest.fixture
async def counters(stack: tuple[str, str]) -> AsyncIterator[Documents[Counter]]:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(stack[1], timeoutMS=30_000)
    name = f"t_docs_{uuid.uuid4().hex[:8]}"
    try:
        yield Documents(client[name]["counters"], Counter)
    finally:
        await client.drop_database(name)
        await client.close()


async def test_a_batch_larger_than_the_servers_connection_pool_is_written_and_read_back(
    counters: Documents[Counter],
) -> None:
    created = await counters.put_many([Stored(f"c{n}", Counter(value=n)) for n in range(COUNT)])
    changed = [item.changed(Counter(value=item.state.value + 1), f"m{item.id}", ()) for item in created]
    saved = await counters.put_many(changed)

    assert {item.rev for item in saved} == {2}
    stored = {item.id: item for item in await counters.find()}
    assert len(stored) == COUNT
    assert all(stored[f"c{n}"].state.value == n + 1 and stored[f"c{n}"].rev == 2 for n in range(COUNT))
    assert stored["c7"].applied == ("mc7",)


async def test_a_write_from_a_stale_revision_is_a_conflict(counters: Documents[Counter]) -> None:
    (first,) = await counters.put_many([Stored("c", Counter(value=1))])
    await counters.put(first.changed(Counter(value=2), "m1", ()))

    with pytest.raises(Conflict):
        await counters.put(first.changed(Counter(value=3), "m2", ()))
    stored = await counters.get("c")
    assert stored is not None and stored.state.value == 2


def index_names(plan: dict[str, Any]) -> set[str]:
    """Every index a PostgreSQL plan (as FerretDB's explain returns it) reads."""
    found = {plan["Index Name"]} if "Index Name" in plan else set()
    for child in plan.get("Plans", []):
        found |= index_names(child)
    return found


async def explain_find(collection: AsyncCollection[dict[str, Any]], equals: dict[str, Any]) -> dict[str, Any]:
    explained: dict[str, Any] = await collection.database.command(
        "explain", {"find": collection.name, "filter": equals}, verbosity="queryPlanner"
    )
    if "ferretdbVersion" not in explained.get("serverInfo", {}):
        pytest.skip("MongoDB serves equality from its own indexes; the GIN twins are FerretDB's (pg_gin_indexes.sql)")
    plan: dict[str, Any] = explained["queryPlanner"]["Plan"]
    return plan


@pytest.mark.parametrize("equals", [{"_id": "c7"}, {"bucket": "2027-02-01"}], ids=["by _id", "by indexed field"])
async def test_an_equality_find_in_a_collection_created_now_reads_a_gin_index(
    counters: Documents[Counter], equals: dict[str, Any]
) -> None:
    await counters.collection.create_index("bucket")
    await counters.collection.insert_many([{"_id": f"c{n}", "bucket": f"2027-02-{n % 28 + 1:02d}"} for n in range(300)])

    plan = await explain_find(counters.collection, equals)

    assert any(name.endswith("_gin") for name in index_names(plan)), plan
