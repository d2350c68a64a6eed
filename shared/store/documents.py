"""One aggregate per document: its state, a revision, the ids of the messages applied to it, and
an outbox of the messages its last change must publish.

A change is one document write (no multi-document transactions). The revision turns a
concurrent writer into a `Conflict` (the message is then processed again) instead of a lost update.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from pymongo import InsertOne, ReplaceOne, UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import BulkWriteError, DuplicateKeyError

from shared.messaging.outgoing import Outgoing

M = TypeVar("M", bound=BaseModel)

APPLIED_KEPT = 500
"""How many applied message ids a document remembers (redeliveries arrive close together)."""

WRITES_PER_COMMAND = 16
"""Writes sent in one bulk command. FerretDB 1.24 holds a PostgreSQL connection for every update
statement of a command until the command ends; a command with more statements than its pool
(50 by default) waits forever and wedges the server (measured: 45 pass, 60 hang). Small
commands also leave room for the other services' commands running at the same time."""


class Conflict(Exception):
    """Another writer changed the document first: process the message again."""


@dataclass(frozen=True)
class Stored(Generic[M]):
    id: str
    state: M
    rev: int = 0
    applied: tuple[str, ...] = ()
    outbox: tuple[Outgoing, ...] = field(default=())

    def changed(self, state: M, message_id: str | None, outbox: Iterable[Outgoing]) -> "Stored[M]":
        applied = self.applied if message_id is None else (*self.applied, message_id)[-APPLIED_KEPT:]
        return replace(self, state=state, applied=applied, outbox=tuple(outbox))


class Documents(Generic[M]):
    def __init__(
        self,
        collection: AsyncCollection[dict[str, Any]],
        model: type[M],
        index: Callable[[M], dict[str, Any]] = lambda _: {},
    ) -> None:
        self.collection = collection
        self._model = model
        self._index = index

    async def get(self, doc_id: str) -> Stored[M] | None:
        doc = await self.collection.find_one({"_id": doc_id})
        return None if doc is None else self._load(doc)

    async def find(self, **equals: Any) -> list[Stored[M]]:
        """Equality lookups only: they are what FerretDB pushes down to its indexes."""
        return [self._load(doc) async for doc in self.collection.find(equals)]

    async def put(self, stored: Stored[M]) -> Stored[M]:
        saved = await self.put_many([stored])
        return saved[0]

    async def put_many(self, items: list[Stored[M]]) -> list[Stored[M]]:
        if not items:
            return []
        ops: list[InsertOne[dict[str, Any]] | ReplaceOne[dict[str, Any]]] = [
            InsertOne(self._dump(item, 1))
            if item.rev == 0
            else ReplaceOne({"_id": item.id, "rev": item.rev}, self._dump(item, item.rev + 1))
            for item in items
        ]
        matched = 0
        try:
            for chunk in _chunks(ops):
                matched += (await self.collection.bulk_write(chunk, ordered=True)).matched_count
        except (BulkWriteError, DuplicateKeyError) as error:
            raise Conflict(f"{self.collection.name}: a document was written concurrently") from error
        if matched != sum(1 for item in items if item.rev):
            raise Conflict(f"{self.collection.name}: a document changed since it was read")
        return [replace(item, rev=item.rev + 1) for item in items]

    async def pending(self) -> list[Stored[M]]:
        return await self.find(outbox_pending=True)

    async def mark_published(self, items: list[Stored[M]]) -> None:
        ops = [
            UpdateOne({"_id": item.id, "rev": item.rev}, {"$set": {"outbox": [], "outbox_pending": False}})
            for item in items
            if item.outbox
        ]
        for chunk in _chunks(ops):
            await self.collection.bulk_write(chunk, ordered=False)

    def _dump(self, item: Stored[M], rev: int) -> dict[str, Any]:
        return {
            "_id": item.id,
            "rev": rev,
            "applied": list(item.applied),
            "outbox": [message.to_doc() for message in item.outbox],
            "outbox_pending": bool(item.outbox),
            "state": item.state.model_dump(mode="json"),
            **self._index(item.state),
        }

    def _load(self, doc: dict[str, Any]) -> Stored[M]:
        return Stored(
            id=doc["_id"],
            state=self._model.model_validate(doc["state"]),
            rev=doc["rev"],
            applied=tuple(doc.get("applied", ())),
            outbox=tuple(Outgoing.from_doc(message) for message in doc.get("outbox", ())),
        )


W = TypeVar("W")


def _chunks(ops: list[W]) -> Iterator[list[W]]:
    for start in range(0, len(ops), WRITES_PER_COMMAND):
        yield ops[start : start + WRITES_PER_COMMAND]
