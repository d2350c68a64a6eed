"""Intake: programs and parameters (`continuity.admin.v1`), sales orders (`sales.orders.v1`)."""

from contracts.admin import ParametersSet, ProgramDeactivate, ProgramUpsert
from contracts.sales import SalesOrderPlaced
from contracts.topics import ADMIN, SALES_ORDERS
from services.intake.orders import IntakeRecord, OrderIntake
from services.intake.programs import ProgramAdmin
from shared.messaging.runtime import Runtime
from shared.settings import Settings
from shared.store import clock, programs
from shared.store.documents import Documents

SERVICE = "intake"


def create(settings: Settings) -> Runtime:
    runtime = Runtime(SERVICE, settings)
    program_docs = programs.programs(runtime.db)
    parameter_docs = programs.parameters(runtime.db)
    intake_docs = Documents(runtime.db["intake_orders"], IntakeRecord)
    admin = ProgramAdmin(program_docs, parameter_docs, runtime.outbox)
    intake = OrderIntake(intake_docs, program_docs, parameter_docs, clock.clock(runtime.db), runtime.outbox)

    async def prepare() -> None:
        await programs.ensure_indexes(runtime.db)
        await runtime.db["intake_orders"].create_index("outbox_pending")
        await runtime.outbox.sweep(program_docs)
        await runtime.outbox.sweep(parameter_docs)
        await runtime.outbox.sweep(intake_docs)

    runtime.startup.append(prepare)
    runtime.consume(
        [ADMIN, SALES_ORDERS],
        {
            ProgramUpsert: admin.upsert_program,
            ProgramDeactivate: admin.deactivate_program,
            ParametersSet: admin.set_parameters,
            SalesOrderPlaced: intake.place_sales_order,
        },
    )
    return runtime
