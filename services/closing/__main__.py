"""Runs the closing service."""

from services.closing.app import create
from shared.messaging.main import run

run(create)
