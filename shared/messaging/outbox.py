"""Write the state change with its outbox in one document, then publish, then clear the outbox.

A crash between the write and the publish leaves the outbox in the document; the redelivered
message (offsets are committed only after the handler returns) or the next sweep publishes it.
Consumers see each message at least once, always with the same deterministic `message_id`.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from pydantic import BaseModel

from shared.messaging.outgoing import Outgoing
from shared.messaging.publisher import Publisher
from shared.store.documents import Documents, Stored

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Decision(Generic[M]):
    """What a use case decided: the new state (None = unchanged) and the messages it causes."""

    state: M | None
    messages: Sequence[Outgoing] = field(default=())


class Outbox:
    def __init__(self, publisher: Publisher) -> None:
        self.publisher = publisher

    async def commit(self, docs: Documents[M], items: list[Stored[M]]) -> list[Stored[M]]:
        saved = await docs.put_many(items)
        await self.flush(docs, saved)
        return saved

    async def flush(self, docs: Documents[M], items: list[Stored[M]]) -> None:
        await self.publisher.send([message for item in items for message in item.outbox])
        await docs.mark_published(items)

    async def sweep(self, docs: Documents[M]) -> None:
        """Publish what a crashed handler left behind."""
        await self.flush(docs, await docs.pending())

    async def apply(
        self,
        docs: Documents[M],
        doc_id: str,
        message_id: str,
        decide: Callable[[M | None], Decision[M]],
    ) -> M | None:
        """Load, skip if this message was applied, decide, save with outbox, publish. Returns the state."""
        stored = await docs.get(doc_id)
        if stored is not None and stored.outbox:
            await self.flush(docs, [stored])
        if stored is not None and message_id in stored.applied:
            return stored.state
        decision = decide(stored.state if stored else None)
        if decision.state is None:
            await self.publisher.send(decision.messages)
            return stored.state if stored else None
        base = stored or Stored(id=doc_id, state=decision.state)
        await self.commit(docs, [base.changed(decision.state, message_id, decision.messages)])
        return decision.state
