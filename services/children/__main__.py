"""Runs the children service."""

from services.children.app import create
from shared.messaging.main import run

run(create)
