"""Runs the periods service."""

from services.periods.app import create
from shared.messaging.main import run

run(create)
