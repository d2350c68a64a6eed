"""Runs the billing service."""

from services.billing.app import create
from shared.messaging.main import run

run(create)
