"""Runs the intake service."""

from services.intake.app import create
from shared.messaging.main import run

run(create)
